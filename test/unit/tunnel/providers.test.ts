import { describe, expect, it } from 'vitest';
import { commandPlan } from '../../../src/receiver/tunnel/providers/command.js';
import { ngrokWebAddr, publicUrlFromTunnels } from '../../../src/receiver/tunnel/providers/ngrok.js';
import { loopbackAddress, urlFromHostname } from '../../../src/receiver/tunnel/providers/provider.js';
import { tunnelProvider, TUNNEL_NAMES } from '../../../src/receiver/tunnel/providers/index.js';
import { publicUrl } from '../../../src/receiver/tunnel/start.js';

describe('reading public URLs the way each tool reports them', () => {
  it('cloudflared /quicktunnel: hostname → https, empty (not up yet) → nothing, loopback → http', () => {
    expect(urlFromHostname('brave-otter-12.trycloudflare.com')).toBe('https://brave-otter-12.trycloudflare.com');
    expect(urlFromHostname('')).toBeUndefined();
    expect(urlFromHostname('127.0.0.1:4567')).toBe('http://127.0.0.1:4567');
  });

  it('ngrok: the agent API address comes from the "starting web service" line, JSON or logfmt', () => {
    const json = '{"addr":"127.0.0.1:4041","lvl":"info","msg":"starting web service","obj":"web","t":"x"}';
    expect(ngrokWebAddr(json)).toBe('127.0.0.1:4041');
    expect(ngrokWebAddr('t=x lvl=info msg="starting web service" obj=web addr=0.0.0.0:4040')).toBe('127.0.0.1:4040');
    expect(ngrokWebAddr('{"lvl":"info","msg":"client session established"}')).toBeUndefined();
  });

  it('ngrok /api/tunnels: the https public_url of the tunnel to our port, not another one', () => {
    const body = {
      tunnels: [
        { public_url: 'https://other.ngrok-free.app', proto: 'https', config: { addr: 'http://localhost:8080' } },
        { public_url: 'http://ours.ngrok-free.app', proto: 'http', config: { addr: 'http://127.0.0.1:3000' } },
        { public_url: 'https://ours.ngrok-free.app', proto: 'https', config: { addr: 'http://127.0.0.1:3000' } },
      ],
      uri: '/api/tunnels',
    };
    expect(publicUrlFromTunnels(body, 3000)).toBe('https://ours.ngrok-free.app');
    expect(publicUrlFromTunnels(body, 9999)).toBeUndefined();
    expect(publicUrlFromTunnels({ tunnels: [] }, 3000)).toBeUndefined();
    expect(publicUrlFromTunnels('garbage', 3000)).toBeUndefined();
    // A plain-http public URL is only taken from a loopback stand-in.
    expect(
      publicUrlFromTunnels(
        { tunnels: [{ public_url: 'http://127.0.0.1:5000', config: { addr: '127.0.0.1:3000' } }] },
        3000,
      ),
    ).toBe('http://127.0.0.1:5000');
  });

  it('loopbackAddress asks an agent bound everywhere on loopback', () => {
    expect(loopbackAddress('0.0.0.0:4040')).toBe('127.0.0.1:4040');
    expect(loopbackAddress('[::]:4040')).toBe('127.0.0.1:4040');
    expect(loopbackAddress('[::1]:4040')).toBe('[::1]:4040');
  });

  it('a command line gets {port}; its URL is the first match of the pattern (group 1 when it has one)', async () => {
    const plan = commandPlan({ command: 'tool expose {port} --port={port}', port: 3001, platform: 'linux', env: {} });
    expect(plan.spec.args.at(-1)).toBe('tool expose 3001 --port=3001');
    expect(await plan.probe(new AbortController().signal)).toBeUndefined();
    plan.observe!('connecting… see https://docs.example.dev/help');
    plan.observe!('your url is https://abc.example.net');
    expect(await plan.probe(new AbortController().signal)).toBe('https://docs.example.dev/help');
    const grouped = commandPlan({
      command: 'x',
      port: 1,
      urlPattern: 'url is (https://\\S+)',
      platform: 'linux',
      env: {},
    });
    grouped.observe!('connecting… see https://docs.example.dev/help');
    grouped.observe!('your url is https://abc.example.net');
    expect(await grouped.probe(new AbortController().signal)).toBe('https://abc.example.net');
  });

  it('a reported URL is used only as a plain http(s) base: junk and control characters are not', () => {
    expect(publicUrl('https://abc.trycloudflare.com/')).toBe('https://abc.trycloudflare.com');
    expect(publicUrl('https://abc.example.net/base/')).toBe('https://abc.example.net/base');
    expect(publicUrl('https://evil\u001b[31m.example')).toBeUndefined();
    expect(publicUrl('https://x.example/\u001b[2J')).toBe('https://x.example/%1B[2J');
    expect(publicUrl('ftp://x.example')).toBeUndefined();
    expect(publicUrl('https://user:pw@x.example')).toBeUndefined();
    expect(publicUrl('not a url')).toBeUndefined();
  });

  it('every way to a public url is a registered provider; --public-url plans its url and starts nothing', async () => {
    for (const name of [...TUNNEL_NAMES, 'command', 'public-url']) expect(tunnelProvider(name)?.name).toBe(name);
    const plan = await tunnelProvider('public-url')!.plan({
      port: 3000,
      freePort: async () => 0,
      platform: 'linux',
      env: {},
      url: 'https://tunnel.example/base/',
    });
    expect(plan).toEqual({ provider: 'public-url', publicUrl: 'https://tunnel.example/base' });
  });
});
