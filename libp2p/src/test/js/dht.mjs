// Kad-DHT support for peer.mjs: flags, the service entry and the dht-* commands.
//
// Flags:
//   --dht                          run @libp2p/kad-dht (server mode unless --dht-client)
//   --dht-protocol /ipfs/kad/1.0.0 protocol id (lotus-sdk uses /lotus/kad/1.0.0)
//   --dht-ns lotus,foo             record namespaces accepted with a permissive validator
//                                  (selector: the first record)
//   --dht-client                   client mode (does not serve the protocol)
//   --dht-lotus-sdk                run @libp2p/kad-dht 16.1.0, the version lotus-sdk pins (installed
//                                  as kad-dht-lotus-sdk): it accepts keys without a /ns/ namespace,
//                                  such as resource:<type>:<id>, without validation
//
// Commands (keys and values are UTF-8 strings; multihashes are hex):
//   dht-put {key, value}            -> {storedAt: [peer ids that echoed the record]}
//   dht-get {key}                   -> {value, from} or ok:false "NotFoundError"
//   dht-find-peer {peer}            -> {peer, addrs}
//   dht-closest {key}               -> {peers: [...]}   (key as UTF-8)
//   dht-closest-peer {peer}         -> {peers: [...]}   (key = the peer id bytes)
//   dht-provide {mh}                -> {sentTo: [...]}  (a sha2-256 multihash, as a CIDv1 raw)
//   dht-find-providers {mh}         -> {providers: [{peer, addrs}]}
//   dht-routing-table {}            -> {peers: [...]}
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import * as lotusSdkKad from 'kad-dht-lotus-sdk'
import { peerIdFromString } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { fromString as u8FromString } from 'uint8arrays/from-string'
import { toString as u8ToString } from 'uint8arrays/to-string'

const RAW = 0x55

/** parseArgs options for the DHT flags. */
export const dhtOptions = {
  dht: { type: 'boolean', default: false },
  'dht-protocol': { type: 'string', default: '/ipfs/kad/1.0.0' },
  'dht-ns': { type: 'string', default: '' },
  'dht-client': { type: 'boolean', default: false },
  'dht-lotus-sdk': { type: 'boolean', default: false }
}

/** The services entry: {dht: kadDHT(...)} when --dht is given, else nothing. */
export function dhtService (opt) {
  if (!opt.dht) return {}
  const validators = {}
  const selectors = {}
  for (const ns of opt['dht-ns'].split(',').map(s => s.trim()).filter(Boolean)) {
    validators[ns] = async () => {} // accept anything under /<ns>/
    selectors[ns] = () => 0
  }
  const kad = opt['dht-lotus-sdk'] ? lotusSdkKad : { kadDHT, passthroughMapper }
  return {
    dht: kad.kadDHT({
      protocol: opt['dht-protocol'],
      clientMode: opt['dht-client'], // the library's default is client mode
      peerInfoMapper: kad.passthroughMapper, // the default drops 127.0.0.1 addresses
      allowQueryWithZeroPeers: true,
      validators,
      selectors
    })
  }
}

const utf8 = (s) => u8FromString(s)
const cidOf = (mhHex) => CID.createV1(RAW, Digest.decode(u8FromString(mhHex, 'base16')))

/** The dht-* commands; `node` returns the libp2p node. */
export function dhtCommands (node) {
  const dht = () => {
    const d = node().services.dht
    if (d == null) throw new Error('start the peer with --dht')
    return d
  }
  return {
    async 'dht-put' ({ key, value }) {
      const ok = new Set()
      const bad = new Set()
      for await (const e of dht().put(utf8(key), utf8(value))) {
        if (e.name === 'PEER_RESPONSE' && e.messageName === 'PUT_VALUE') ok.add(e.from.toString())
        if (e.name === 'QUERY_ERROR') bad.add(e.from.toString())
      }
      return { storedAt: [...ok].filter(p => !bad.has(p)) }
    },
    async 'dht-get' ({ key }) {
      for await (const e of dht().get(utf8(key))) {
        if (e.name === 'VALUE') return { value: u8ToString(e.value), from: e.from.toString() }
      }
      throw new Error('NotFoundError: no value for ' + key)
    },
    async 'dht-find-peer' ({ peer }) {
      for await (const e of dht().findPeer(peerIdFromString(peer))) {
        if (e.name === 'FINAL_PEER') return { peer: e.peer.id.toString(), addrs: e.peer.multiaddrs.map(String) }
      }
      throw new Error('NotFoundError: peer ' + peer + ' not found')
    },
    async 'dht-closest' ({ key }) {
      const peers = []
      for await (const e of dht().getClosestPeers(utf8(key))) {
        if (e.name === 'FINAL_PEER') peers.push(e.peer.id.toString())
      }
      return { peers }
    },
    async 'dht-closest-peer' ({ peer }) {
      const peers = []
      for await (const e of dht().getClosestPeers(peerIdFromString(peer).toMultihash().bytes)) {
        if (e.name === 'FINAL_PEER') peers.push(e.peer.id.toString())
      }
      return { peers }
    },
    async 'dht-provide' ({ mh }) {
      const sentTo = new Set()
      for await (const e of dht().provide(cidOf(mh))) {
        if (e.name === 'SEND_QUERY' && e.messageName === 'ADD_PROVIDER') sentTo.add(e.to.toString())
      }
      return { sentTo: [...sentTo] }
    },
    async 'dht-find-providers' ({ mh }) {
      const providers = new Map()
      for await (const e of dht().findProviders(cidOf(mh))) {
        if (e.name === 'PROVIDER') {
          for (const p of e.providers) providers.set(p.id.toString(), p.multiaddrs.map(String))
        }
      }
      return { providers: [...providers].map(([peer, addrs]) => ({ peer, addrs })) }
    },
    async 'dht-routing-table' () {
      const peers = []
      for (const c of dht().routingTable.kb.toIterable()) peers.push(c.peerId.toString())
      return { peers }
    }
  }
}
