// AutoNAT v1 and DCUtR support for peer.mjs: flags, services and the autonat-* and dcutr-* commands.
//
// Flags:
//   --autonat     the AutoNAT v1 service (@libp2p/autonat): serves /libp2p/autonat/1.0.0 and asks
//                 peers to verify its public addresses (it has none on loopback, so it never asks)
//   --dcutr       the DCUtR service (@libp2p/dcutr): upgrades relayed connections it receives and
//                 answers upgrades of relayed connections it made
//
// Commands:
//   autonat-dial {peer, addrs}  sends one AutoNAT v1 DIAL, encoded by @libp2p/autonat's own
//                               protobuf codec, asking peer to dial this node at addrs (default:
//                               its TCP listen addresses) -> {status, statusText, addr}
//   dcutr-connections {peer}    -> {connections: [{remoteAddr, limited, direction}]} to peer
import { autoNAT } from '@libp2p/autonat'
import { dcutr } from '@libp2p/dcutr'
import { peerIdFromString } from '@libp2p/peer-id'
import { pbStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
// the package exports only its service factory; the test reaches for its message codec by file
import { Message } from './node_modules/@libp2p/autonat/dist/src/pb/index.js'

const AUTONAT = '/libp2p/autonat/1.0.0'

/** parseArgs options for the NAT flags. */
export const natOptions = {
  autonat: { type: 'boolean', default: false },
  dcutr: { type: 'boolean', default: false }
}

/** The services entry for --autonat and --dcutr. */
export function natServices (opt) {
  return {
    ...(opt.autonat ? { autoNAT: autoNAT() } : {}),
    ...(opt.dcutr ? { dcutr: dcutr() } : {})
  }
}

/** The autonat-* and dcutr-* commands; `node` returns the libp2p node. */
export function natCommands (node) {
  return {
    async 'autonat-dial' ({ peer, addrs }) {
      const n = node()
      const own = addrs ?? n.getMultiaddrs()
        .map(String)
        .filter(a => a.includes('/tcp/') && !a.includes('/p2p-circuit') && !a.includes('/ws'))
        .map(a => a.replace(/\/p2p\/.*$/, ''))
      const signal = AbortSignal.timeout(30_000)
      const stream = await n.dialProtocol(peerIdFromString(peer), AUTONAT, { signal })
      try {
        const messages = pbStream(stream).pb(Message)
        await messages.write({
          type: Message.MessageType.DIAL,
          dial: { peer: { id: n.peerId.toMultihash().bytes, addrs: own.map(a => multiaddr(a).bytes) } }
        }, { signal })
        const response = await messages.read({ signal })
        if (response.type !== Message.MessageType.DIAL_RESPONSE || response.dialResponse == null) {
          throw new Error(`not a DIAL_RESPONSE: ${JSON.stringify(response)}`)
        }
        const r = response.dialResponse
        return {
          sent: own,
          status: r.status,
          statusText: r.statusText ?? null,
          addr: r.addr != null && r.addr.length > 0 ? multiaddr(r.addr).toString() : null
        }
      } finally {
        await stream.close({ signal }).catch((err) => stream.abort(err))
      }
    },
    async 'dcutr-connections' ({ peer }) {
      return {
        connections: node().getConnections(peerIdFromString(peer)).map(c => ({
          remoteAddr: c.remoteAddr.toString(),
          limited: c.limits != null,
          direction: c.direction,
          status: c.status
        }))
      }
    }
  }
}
