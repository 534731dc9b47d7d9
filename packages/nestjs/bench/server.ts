/** The local Momento server for the benchmark, in its own process; prints `{"url","apiKey"}`. */
import { startServer } from '@momento-http/server';

const server = await startServer({ port: 0 });
process.stdout.write(`${JSON.stringify({ url: server.url, apiKey: server.createApiKey() })}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
