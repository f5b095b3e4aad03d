#!/usr/bin/env node
// A js-libp2p peer driven by the Java interoperability tests and benchmarks.
//
// stdout carries JSON lines only:
//   first   {"event":"ready","peerId":...,"addrs":[...],"protocols":[...],"node":...}
//   replies {"id":N,"ok":true,...} or {"id":N,"ok":false,"error":"..."}
//   events  {"event":"connect"|"disconnect","peer":...} and {"event":"identify",...}
// stdin carries one JSON command per line: {"id":1,"cmd":"dial","addr":"/ip4/127.0.0.1/tcp/4001/p2p/12D3..."}
// stderr carries libp2p debug logs (DEBUG=libp2p:*).
// The process exits when stdin closes, so it never outlives the test that started it.
//
// Test protocols served (and used by the commands below):
//   /test/echo/1.0.0    writes back every byte it reads, then closes when the remote closes its write side
//   /test/sink/1.0.0    reads until end of stream, checks the pattern byte for byte, answers the 32-byte SHA-256
//   /test/source/1.0.0  reads an 8-byte big-endian count, writes that many pattern bytes, closes
// The pattern byte at offset i is (i mod 251).
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets' // websocket
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify, identifyPush } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { generateKeyPair, generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { toString as u8ToString } from 'uint8arrays/to-string'
import { dhtCommands, dhtOptions, dhtService } from './dht.mjs' // kad-dht
import { gossipArgs, gossipServices, gossipCommands } from './gossip.mjs' // gossipsub
import { lotusArgs, lotusCommands, lotusListeners } from './lotus.mjs' // lotus-sdk messages
import { musig2Commands } from './musig2.mjs' // lotus-sdk MuSig2 sessions
import { relayCommands, relayHandlers, relayOptions, relayServices, relayTransports } from './relay.mjs' // circuit relay
import { natCommands, natOptions, natServices } from './nat.mjs' // autonat, dcutr

const ECHO = '/test/echo/1.0.0'
const SINK = '/test/sink/1.0.0'
const SOURCE = '/test/source/1.0.0'
const STREAM_LIMITS = { maxInboundStreams: 1024, maxOutboundStreams: 1024 }

const { values: opt } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    seed: { type: 'string' },
    'key-type': { type: 'string', default: 'Ed25519' },
    ...dhtOptions, // kad-dht
    ...gossipArgs, // gossipsub
    ...lotusArgs, // lotus-sdk messages
    ...relayOptions, // circuit relay
    ...natOptions, // autonat, dcutr
    ws: { type: 'boolean', default: false }, // websocket: also listen on /ip4/<host>/tcp/0/ws
    // secure websocket: with a PEM certificate chain and key, also listen on /ip4/<host>/tcp/0/wss (js
    // reports it as /tls/ws); dials to /wss trust the CAs in NODE_EXTRA_CA_CERTS
    'wss-cert': { type: 'string' },
    'wss-key': { type: 'string' }
  }
})

const wssOptions = opt['wss-cert'] != null // secure websocket
  ? { https: { cert: readFileSync(opt['wss-cert']), key: readFileSync(opt['wss-key']) } }
  : {}
if (opt['wss-cert'] != null) opt.ws = true

const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')

const privateKey = opt.seed != null
  ? await generateKeyPairFromSeed('Ed25519', Buffer.from(opt.seed, 'hex'))
  : await generateKeyPair(opt['key-type'])

const node = await createLibp2p({
  privateKey,
  addresses: {
    listen: [
      `/ip4/${opt.host}/tcp/${opt.port}`,
      ...(opt.ws ? [`/ip4/${opt.host}/tcp/0/ws`] : []), // websocket
      ...(opt['wss-cert'] != null ? [`/ip4/${opt.host}/tcp/0/wss`] : []) // secure websocket
    ]
  },
  transports: [tcp(), ...(opt.ws ? [webSockets(wssOptions)] : []), ...relayTransports(opt)], // websocket, circuit relay
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  // tests and benchmarks open many connections from 127.0.0.1 in a short time
  connectionManager: { maxConnections: 4096, maxIncomingPendingConnections: 256, inboundConnectionThreshold: 1_000_000 },
  services: {
    identify: identify(),
    identifyPush: identifyPush(),
    // the default of one outbound ping stream per connection is too tight for tests that ping while identifying
    ping: ping({ maxOutboundStreams: 8, maxInboundStreams: 8 }),
    ...dhtService(opt), // kad-dht
    ...gossipServices(opt), // gossipsub
    ...relayServices(opt), // circuit relay
    ...natServices(opt) // autonat, dcutr
  }
})
await relayHandlers(node) // circuit relay

// --- the byte pattern ----------------------------------------------------------------------------------------
const PERIOD = 251
const TEMPLATE = new Uint8Array(PERIOD * 256) // 64,256 bytes, starts at a multiple of the period
for (let i = 0; i < TEMPLATE.length; i++) TEMPLATE[i] = i % PERIOD

/**
 * Writes `total` pattern bytes with backpressure and returns the SHA-256 of what was sent, or null with
 * `digest` false (the source protocol: nobody asks for its digest, and benchmarks measure the stack).
 */
async function sendPattern (stream, total, digest = true) {
  const hash = digest ? createHash('sha256') : null
  let sent = 0
  while (sent < total) {
    const chunk = TEMPLATE.subarray(0, Math.min(TEMPLATE.length, total - sent))
    hash?.update(chunk)
    sent += chunk.length
    if (!stream.send(chunk)) await stream.onDrain()
  }
  return hash?.digest() ?? null
}

/**
 * Reads to the end of the stream, checking every byte against the pattern and hashing it unless `verify`
 * is false (then it only counts: the digest is null).
 */
async function receivePattern (stream, verify = true) {
  const hash = verify ? createHash('sha256') : null
  let offset = 0
  for await (const piece of stream) {
    const buf = piece.subarray()
    for (let i = 0; verify && i < buf.length; i++) {
      if (buf[i] !== (offset + i) % PERIOD) {
        throw new Error(`pattern mismatch at byte ${offset + i}: got ${buf[i]}, expected ${(offset + i) % PERIOD}`)
      }
    }
    hash?.update(buf)
    offset += buf.length
  }
  return { bytes: offset, sha256: hash?.digest() ?? null }
}

async function readAll (stream) {
  const parts = []
  for await (const piece of stream) parts.push(Buffer.from(piece.subarray()))
  return Buffer.concat(parts)
}

// --- served test protocols --------------------------------------------------------------------------------------
await node.handle(ECHO, async (stream) => {
  try {
    for await (const piece of stream) {
      if (!stream.send(piece)) await stream.onDrain()
    }
    await stream.close()
  } catch (err) {
    stream.abort(err)
  }
}, STREAM_LIMITS)

await node.handle(SINK, async (stream) => {
  try {
    const { sha256 } = await receivePattern(stream)
    stream.send(sha256)
    await stream.close()
  } catch (err) {
    stream.abort(err)
  }
}, STREAM_LIMITS)

await node.handle(SOURCE, async (stream) => {
  try {
    const header = []
    let have = 0
    for await (const piece of stream) {
      header.push(Buffer.from(piece.subarray()))
      have += piece.byteLength
      if (have >= 8) break
    }
    const count = Number(Buffer.concat(header).readBigUInt64BE(0))
    await sendPattern(stream, count, false)
    await stream.close()
  } catch (err) {
    stream.abort(err)
  }
}, STREAM_LIMITS)

node.addEventListener('peer:connect', (evt) => out({ event: 'connect', peer: evt.detail.toString() }))
node.addEventListener('peer:disconnect', (evt) => out({ event: 'disconnect', peer: evt.detail.toString() }))
node.addEventListener('peer:identify', (evt) => out({
  event: 'identify',
  peer: evt.detail.peerId.toString(),
  agentVersion: evt.detail.agentVersion,
  protocolVersion: evt.detail.protocolVersion,
  protocols: evt.detail.protocols,
  listenAddrs: evt.detail.listenAddrs.map(String),
  observedAddr: evt.detail.observedAddr?.toString() ?? null,
  publicKey: evt.detail.publicKey != null ? u8ToString(evt.detail.publicKey, 'base64') : null
}))

// --- commands ---------------------------------------------------------------------------------------------------
const target = (s) => s.startsWith('/') ? multiaddr(s) : peerIdFromString(s)
const connInfo = (c) => ({
  peer: c.remotePeer.toString(),
  remoteAddr: c.remoteAddr.toString(),
  direction: c.direction,
  multiplexer: c.multiplexer,
  encryption: c.encryption,
  streams: c.streams.length,
  limited: c.limits != null, // circuit relay
  limits: c.limits != null ? { bytes: c.limits.bytes?.toString() ?? null, seconds: c.limits.seconds ?? null } : null
})
const mbps = (bytes, ms) => ms > 0 ? Math.round(bytes * 8 / ms / 1000) : null

const commands = {
  async addrs () { return { addrs: node.getMultiaddrs().map(String) } },
  async dial ({ addr }) { return connInfo(await node.dial(target(addr))) },
  async hangup ({ peer }) { await node.hangUp(target(peer)); return {} },
  async peers () { return { connections: node.getConnections().map(connInfo) } },
  async 'peer-info' ({ peer }) {
    const p = await node.peerStore.get(peerIdFromString(peer))
    return {
      protocols: p.protocols,
      addrs: p.addresses.map(a => a.multiaddr.toString()),
      agentVersion: p.metadata.get('AgentVersion') != null ? u8ToString(p.metadata.get('AgentVersion')) : null,
      publicKey: p.id.publicKey != null ? u8ToString(p.id.publicKey.raw, 'base64') : null
    }
  },
  async 'observed-addrs' () {
    return { addrs: node.components.addressManager.getObservedAddrs().map(String) }
  },
  async ping ({ peer, addr }) { return { rttMs: await node.services.ping.ping(target(peer ?? addr)) } },
  // opens `streams` concurrent echo streams; each sends `bytes` random bytes and checks the echo
  async echo ({ peer, streams, bytes }) {
    const started = performance.now()
    await Promise.all(Array.from({ length: streams ?? 1 }, async () => {
      const stream = await node.dialProtocol(target(peer), ECHO, STREAM_LIMITS)
      const payload = randomBytes(bytes ?? 1024)
      const [echoed] = await Promise.all([
        readAll(stream),
        (async () => {
          if (!stream.send(payload)) await stream.onDrain()
          await stream.close()
        })()
      ])
      if (!payload.equals(echoed)) throw new Error(`echo mismatch: sent ${payload.length} bytes, got ${echoed.length}`)
    }))
    return { streams: streams ?? 1, bytes: bytes ?? 1024, elapsedMs: performance.now() - started }
  },
  // sends `bytes` pattern bytes to the remote sink and checks the SHA-256 it answers
  async sink ({ peer, bytes }) {
    const started = performance.now()
    const stream = await node.dialProtocol(target(peer), SINK, STREAM_LIMITS)
    const [sentHash, answer] = await Promise.all([
      sendPattern(stream, bytes).then(async (h) => { await stream.close(); return h }),
      readAll(stream)
    ])
    const elapsedMs = performance.now() - started
    if (!sentHash.equals(answer)) throw new Error(`sink answered ${answer.toString('hex')}, expected ${sentHash.toString('hex')}`)
    return { bytes, sha256: sentHash.toString('hex'), elapsedMs, mbps: mbps(bytes, elapsedMs) }
  },
  // asks the remote source for `bytes` pattern bytes and checks each one (verify=false: only counts, for benchmarks)
  async source ({ peer, bytes, verify }) {
    const started = performance.now()
    const stream = await node.dialProtocol(target(peer), SOURCE, STREAM_LIMITS)
    const header = Buffer.alloc(8)
    header.writeBigUInt64BE(BigInt(bytes))
    stream.send(header)
    const got = await receivePattern(stream, verify ?? true)
    await stream.close()
    const elapsedMs = performance.now() - started
    if (got.bytes !== bytes) throw new Error(`source sent ${got.bytes} bytes, expected ${bytes}`)
    return { bytes, sha256: got.sha256?.toString('hex') ?? null, elapsedMs, mbps: mbps(bytes, elapsedMs) }
  },
  // full connection set-ups (TCP + Noise + Yamux) to `addr`, `concurrency` at a time, each closed again
  async handshakes ({ addr, count, concurrency }) {
    const ma = multiaddr(addr)
    let next = 0
    const ids = new Set()
    const started = performance.now()
    await Promise.all(Array.from({ length: concurrency ?? 1 }, async () => {
      while (next < count) {
        next++
        const conn = await node.dial(ma, { force: true })
        ids.add(conn.id)
        // identify may still be writing on the fresh connection; an abrupt close is fine for this count
        await conn.close().catch((err) => conn.abort(err))
      }
    }))
    const elapsedMs = performance.now() - started
    // concurrent dials to one peer may be coalesced by the dial queue: count distinct connections only
    return { count: ids.size, elapsedMs, perSecond: ids.size * 1000 / elapsedMs }
  },
  async stop () { setTimeout(shutdown, 10); return {} },
  ...dhtCommands(() => node), // kad-dht
  ...gossipCommands(node, out), // gossipsub
  ...(await lotusCommands(node, out, opt)), // lotus-sdk messages
  ...musig2Commands(node, out, opt, lotusListeners), // lotus-sdk MuSig2 sessions
  ...relayCommands(() => node), // circuit relay
  ...natCommands(() => node) // autonat, dcutr
}

const rl = createInterface({ input: process.stdin })
rl.on('line', async (line) => {
  line = line.trim()
  if (line === '') return
  let req
  try { req = JSON.parse(line) } catch (err) { out({ ok: false, error: `bad command: ${err.message}` }); return }
  const fn = commands[req.cmd]
  if (fn == null) { out({ id: req.id, ok: false, error: `unknown command ${req.cmd}` }); return }
  try {
    const res = await fn(req)
    out({ ...res, id: req.id, cmd: req.cmd, ok: true })
  } catch (err) {
    out({ id: req.id, cmd: req.cmd, ok: false, error: `${err.name}: ${err.message}` })
  }
})

async function shutdown () {
  setTimeout(() => process.exit(0), 3000).unref()
  try { await node.stop() } finally { process.exit(0) }
}
rl.on('close', shutdown)
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, shutdown)
process.stdout.on('error', shutdown)

out({
  event: 'ready',
  peerId: node.peerId.toString(),
  addrs: node.getMultiaddrs().map(String),
  protocols: node.getProtocols(),
  node: process.version
})
