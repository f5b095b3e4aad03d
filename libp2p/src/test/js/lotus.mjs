// lotus-sdk's direct messages for peer.mjs, as lotus-sdk's P2PCoordinator does them. Enabled with --lotus.
//
// Receiving (_handleIncomingStream): /lotus/message/1.0.0 streams are read until the remote closes its
// write side, capped at 100,000 bytes (over it: abort), parsed as one JSON object and reported; the stream
// is never written to or closed by the receiver, exactly like lotus-sdk.
// Sending (sendTo): a new stream per message, the UTF-8 JSON written with send(), then close().
//
// Flags:    --lotus
// Commands: lotus-send {peer, message (object), protocol?}  -> {}
//           lotus-send-raw {peer, data (UTF-8 text), protocol?} -> {}   (bytes as given, for bad input)
// Event:    {"event":"lotus-message","from":<connection's remote peer>,"bytes":N,"message":<parsed object>}
//           {"event":"lotus-message-error","from":..,"error":..}
import { peerIdFromString } from '@libp2p/peer-id'
import { fromString as u8FromString } from 'uint8arrays/from-string'

const MESSAGE_PROTOCOL = '/lotus/message/1.0.0'
const MAX_MESSAGE_SIZE = 100_000

/** Functions called with (message, from) for every message received; musig2.mjs adds one. */
export const lotusListeners = []

export const lotusArgs = {
  lotus: { type: 'boolean', default: false }
}

/** Installs the /lotus/message/1.0.0 handler and returns the lotus-* commands (none without --lotus). */
export async function lotusCommands (node, out, opt) {
  if (!opt.lotus) return {}
  await node.handle(MESSAGE_PROTOCOL, async (stream, connection) => {
    const from = connection.remotePeer.toString()
    const parts = []
    let total = 0
    try {
      for await (const piece of stream) {
        total += piece.byteLength
        if (total > MAX_MESSAGE_SIZE) {
          stream.abort(new Error('Message too large'))
          out({ event: 'lotus-message-error', from, error: 'Message too large' })
          return
        }
        parts.push(Buffer.from(piece.subarray()))
      }
      if (total === 0) return
      const message = JSON.parse(Buffer.concat(parts).toString('utf8'))
      out({ event: 'lotus-message', from, bytes: total, message })
      for (const listener of lotusListeners) listener(message, from)
    } catch (err) {
      out({ event: 'lotus-message-error', from, error: `${err.name}: ${err.message}` })
    }
  }, { maxInboundStreams: 1024 })

  const send = async (peer, bytes, protocol) => {
    const stream = await node.dialProtocol(peerIdFromString(peer), protocol ?? MESSAGE_PROTOCOL)
    stream.send(bytes)
    await stream.close()
  }
  return {
    async 'lotus-send' ({ peer, message, protocol }) {
      await send(peer, u8FromString(JSON.stringify(message)), protocol)
      return {}
    },
    async 'lotus-send-raw' ({ peer, data, protocol }) {
      await send(peer, u8FromString(data), protocol)
      return {}
    }
  }
}
