export interface ReadModelTables {}
