// Preloaded with `node --import` by the start-up figure: at exit, prints to stderr one JSON line of every module the
// process loaded — ES modules seen by a load hook, CommonJS ones from require.cache — so the bench can say what
// each command costs in files, not only in milliseconds.
import { createRequire, register } from 'node:module';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

const { port1, port2 } = new MessageChannel();
const esm = new Set();
port1.on('message', (url) => esm.add(url));
port1.unref();

const hook = `
let port;
export function initialize(data) { port = data.port; }
export async function load(url, context, next) { port.postMessage(url); return next(url, context); }
`;
register(`data:text/javascript,${encodeURIComponent(hook)}`, { data: { port: port2 }, transferList: [port2] });

const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  // Drain what the hook thread posted but this thread has not handled yet.
  for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) esm.add(m.message);
  const all = new Set(esm);
  for (const file of Object.keys(cache)) all.add(pathToFileURL(file).href);
  process.stderr.write(`\nBENCH_MODULES ${JSON.stringify([...all])}\n`);
});
