#!/usr/bin/env node
// The `momento-http-next` bin. It exits explicitly: the cache client's idle keep-alive sockets
// would otherwise hold the process a few seconds after the report.
import { main } from './seed-command';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`momento-http-next seed: ${(error as Error).stack}\n`);
    process.exit(2);
  },
);
