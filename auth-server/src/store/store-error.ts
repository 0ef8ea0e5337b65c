/** The database cannot be opened or migrated; the message names the file or the server and database (never a password). */
export class StoreError extends Error {}
