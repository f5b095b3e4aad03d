// Circuit relay v2 support for peer.mjs: flags, transports, services and the relay-* commands.
//
// Flags:
//   --relay                the circuit relay transport (dial /p2p-circuit addresses, serve stop)
//   --relay-server         also serve hop: this peer is a relay (reservations: 64, default limits)
//
// Commands:
//   relay-listen {addr}     reserve a slot on the relay at addr (ends in /p2p/<relay>) and listen
//                           through it -> {addrs: [circuit addresses of this peer]}
//   relay-addrs {}          -> {addrs: [circuit addresses of this peer]}
//   relay-reservations {}   (relay) -> {peers: [peer ids holding a reservation]}
//   echo-limited {peer, bytes} sends bytes random bytes on /test/echo-limited/1.0.0, which may run
//                           on limited (relayed) connections, and checks the echo -> {bytes}
import { randomBytes } from 'node:crypto'
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'

const ECHO_LIMITED = '/test/echo-limited/1.0.0'

/** parseArgs options for the relay flags. */
export const relayOptions = {
  relay: { type: 'boolean', default: false },
  'relay-server': { type: 'boolean', default: false }
}

/** The transports entry: the circuit relay transport when --relay or --relay-server is given. */
export function relayTransports (opt) {
  return opt.relay || opt['relay-server'] ? [circuitRelayTransport()] : []
}

/** The services entry: the hop server when --relay-server is given. */
export function relayServices (opt) {
  if (!opt['relay-server']) return {}
  return { relay: circuitRelayServer({ reservations: { maxReservations: 64 } }) }
}

async function readAll (stream) {
  const parts = []
  for await (const piece of stream) parts.push(Buffer.from(piece.subarray()))
  return Buffer.concat(parts)
}

/** Registers the limited echo protocol. */
export async function relayHandlers (node) {
  await node.handle(ECHO_LIMITED, async (stream) => {
    try {
      for await (const piece of stream) {
        if (!stream.send(piece)) await stream.onDrain()
      }
      await stream.close()
    } catch (err) {
      stream.abort(err)
    }
  }, { runOnLimitedConnection: true, maxInboundStreams: 64, maxOutboundStreams: 64 })
}

const circuitAddrs = (node) => node.getMultiaddrs().map(String).filter(a => a.includes('/p2p-circuit'))

/** The relay-* commands; `node` returns the libp2p node. */
export function relayCommands (node) {
  return {
    async 'relay-listen' ({ addr }) {
      await node().components.transportManager.listen([multiaddr(`${addr}/p2p-circuit`)])
      const deadline = Date.now() + 10_000
      while (circuitAddrs(node()).length === 0 && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 50))
      }
      return { addrs: circuitAddrs(node()) }
    },
    async 'relay-addrs' () { return { addrs: circuitAddrs(node()) } },
    async 'relay-reservations' () {
      const relay = node().services.relay
      if (relay == null) throw new Error('start the peer with --relay-server')
      return { peers: [...relay.reservations.keys()].map(String) }
    },
    async 'echo-limited' ({ peer, bytes }) {
      const target = peer.startsWith('/') ? multiaddr(peer) : peerIdFromString(peer)
      const stream = await node().dialProtocol(target, ECHO_LIMITED, { runOnLimitedConnection: true })
      const payload = randomBytes(bytes ?? 1024)
      const [echoed] = await Promise.all([
        readAll(stream),
        (async () => {
          if (!stream.send(payload)) await stream.onDrain()
          await stream.close()
        })()
      ])
      if (!payload.equals(echoed)) throw new Error(`echo mismatch: sent ${payload.length} bytes, got ${echoed.length}`)
      return { bytes: payload.length, limited: stream.limited ?? null }
    }
  }
}
