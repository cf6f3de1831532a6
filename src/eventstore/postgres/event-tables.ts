export interface EventTables {}
