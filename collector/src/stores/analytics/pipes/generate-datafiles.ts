/** `npm run tinybird:generate`: rewrites the generated Tinybird datafiles after a schema change. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { EVENTS_DATASOURCE_FILE, eventsDatasource } from './events-datasource.ts';

await writeFile(EVENTS_DATASOURCE_FILE, eventsDatasource());
console.log(`wrote ${fileURLToPath(EVENTS_DATASOURCE_FILE)}`);
