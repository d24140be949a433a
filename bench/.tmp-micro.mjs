import { DeliveryDedupe } from '../dist/receiver/dedupe.js';
import { createHmac, createSecretKey, randomBytes } from 'node:crypto';
const ids = Array.from({ length: 200000 }, (_, i) => 'del_' + i.toString(16).padStart(24, '0'));
function time(label, fn, n) { fn(); const s = performance.now(); fn(); const ms = performance.now() - s; console.log(label, (ms * 1000 / n).toFixed(2), 'µs/op'); }
time('dedupe seen+remember (cap 10k)', () => { const d = new DeliveryDedupe(10000); for (const id of ids) { if (!d.seen(id)) d.remember(id); } }, ids.length);
// two-generation alternative
class Gen { constructor(c){this.c=c;this.cur=new Set();this.prev=new Set();} seen(id){ if(this.cur.has(id)) return true; if(this.prev.has(id)){this.remember(id);return true;} return false;} remember(id){ if(this.cur.size>=this.c){this.prev=this.cur;this.cur=new Set();} this.cur.add(id);} }
time('two-generation sets', () => { const d = new Gen(10000); for (const id of ids) { if (!d.seen(id)) d.remember(id); } }, ids.length);
const secret = 'whsec_' + randomBytes(24).toString('hex'); const body = Buffer.alloc(450, 'a'); const key = createSecretKey(Buffer.from(secret));
time('createHmac(string secret)', () => { for (let i = 0; i < 100000; i++) createHmac('sha256', secret).update('1795738699.').update(body).digest('hex'); }, 100000);
time('createHmac(KeyObject)', () => { for (let i = 0; i < 100000; i++) createHmac('sha256', key).update('1795738699.').update(body).digest('hex'); }, 100000);
time('createHmac digest() buffer', () => { for (let i = 0; i < 100000; i++) createHmac('sha256', secret).update('1795738699.').update(body).digest(); }, 100000);
class Batch { constructor(c){this.c=c;this.slack=Math.max(1,c>>3);this.ids=new Set();}
  seen(id){ if(!this.ids.has(id)) return false; this.ids.delete(id); this.ids.add(id); return true; }
  remember(id){ if(this.ids.has(id)) this.ids.delete(id); this.ids.add(id); if(this.ids.size>this.c+this.slack){ let n=this.ids.size-this.c; for(const old of this.ids){ this.ids.delete(old); if(--n===0) break; } } } }
time('batched eviction set', () => { const d = new Batch(10000); for (const id of ids) { if (!d.seen(id)) d.remember(id); } }, ids.length);
class Lru { #nodes = new Map(); #head = null; #tail = null; #cap;
  constructor(c){ this.#cap = Math.max(1, c); }
  get size(){ return this.#nodes.size; }
  #unlink(n){ if(n.prev) n.prev.next = n.next; else this.#head = n.next; if(n.next) n.next.prev = n.prev; else this.#tail = n.prev; n.prev = n.next = null; }
  #append(n){ n.prev = this.#tail; n.next = null; if(this.#tail) this.#tail.next = n; else this.#head = n; this.#tail = n; }
  seen(id){ const n = this.#nodes.get(id); if(!n) return false; if(n !== this.#tail){ this.#unlink(n); this.#append(n);} return true; }
  remember(id){ let n = this.#nodes.get(id); if(n){ if(n !== this.#tail){ this.#unlink(n); this.#append(n);} return; }
    if(this.#nodes.size >= this.#cap){ n = this.#head; this.#unlink(n); this.#nodes.delete(n.id); n.id = id; } else n = { id, prev: null, next: null };
    this.#nodes.set(id, n); this.#append(n); } }
time('linked-list LRU', () => { const d = new Lru(10000); for (const id of ids) { if (!d.seen(id)) d.remember(id); } }, ids.length);
{ const d = new Lru(3); for (const id of ['a','b','c']) d.remember(id); console.log(d.seen('a'), (d.remember('d'), d.seen('b')), d.seen('a'), d.seen('c'), d.seen('d'), d.size); const e = new Lru(1000); for (let i=0;i<50000;i++) e.remember('del_'+i); console.log(e.size, e.seen('del_49999'), e.seen('del_0')); }
