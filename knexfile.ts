/** Control-plane connection for the knex CLI (`npx knex --knexfile knexfile.ts migrate:latest`). */
import { loadConfig } from './collector/src/config.ts';
import { knexConfig } from './collector/src/stores/control/database.ts';

const config = loadConfig();
export default knexConfig(config.databaseUrl, config.dataDir);
