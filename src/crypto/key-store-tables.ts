export interface KeyStoreTables {}
