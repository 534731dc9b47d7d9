/** The local Momento-compatible server for the benchmark, in its own process. Prints `{url, apiKey}`. */
import { startServer } from '@momento-http/server';

const server = await startServer({ port: 0 });
process.stdout.write(`${JSON.stringify({ url: server.url, apiKey: server.createApiKey() })}\n`);
