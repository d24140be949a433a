// The two sides of the queue figure, on the same Redis. BENCH_QUEUE_MODE=pictify: the node adapter doing verify +
// redisDedupe claim + bullmqEnqueue (the receiver of docs/production.md). =bare: a node:http server doing only
// queue.add of the parsed body — the floor of "put it on a queue and answer". Prints {"port"} when listening.
import { createServer } from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { bullmqEnqueue } from 'pictify-hooks/bullmq';
import { pictifyHandler } from 'pictify-hooks/node';
import { redisDedupe } from 'pictify-hooks/redis';

const env = process.env;
const connection = new Redis(env.REDIS_URL || 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const queue = new Queue(env.BENCH_QUEUE_NAME, {
  connection,
  prefix: env.BENCH_PREFIX,
  defaultJobOptions: { removeOnComplete: true },
});

let handle;
if (env.BENCH_QUEUE_MODE === 'pictify') {
  const webhooks = pictifyHandler({
    secret: env.BENCH_SECRET,
    dedupe: redisDedupe(connection, { prefix: `${env.BENCH_PREFIX}:dedupe:` }),
    enqueue: bullmqEnqueue(queue),
  });
  handle = (req, res) => void webhooks(req, res);
} else {
  handle = (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      try {
        await queue.add('pictify-webhook', JSON.parse(Buffer.concat(chunks).toString()));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
      } catch {
        res.writeHead(503).end();
      }
    });
  };
}
const server = createServer(handle);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
