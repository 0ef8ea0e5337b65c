// The launcher lives with the stack's scripts so the built benchmark can start one too.
export { POSTGRES_BIN, startPostgres, type TestPostgres } from '../../scripts/stack/postgres';
