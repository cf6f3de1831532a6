export interface CommandIndexTables {}
