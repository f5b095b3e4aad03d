// GossipSub for the js test peer (@libp2p/gossipsub). Enabled with --gossip.
//
// Flags:   --gossip                 add the gossipsub service (/meshsub/1.2.0, 1.1.0, 1.0.0, /floodsub/1.0.0)
//          --gossip-nosign          StrictNoSign instead of the default StrictSign
//          --gossip-no-flood        floodPublish:false (publish to the mesh/fanout only)
//          --gossip-d D,Dlo,Dhi     mesh degrees (default 6,4,12)
//          --gossip-px              doPX: offer peer exchange (with signed peer records) when
//                                   pruning, and follow it from any peer scoring at least 0
// Commands: subscribe {topic}, unsubscribe {topic}, publish {topic, data (UTF-8) | dataB64},
//           publish-many {topic, prefix, count} (publishes prefix0 .. prefix<count-1> one after
//           another; returns how many were published and how many failed),
//           received {topic, prefix} (how many messages starting with prefix arrived on topic),
//           topic-peers {topic}, mesh-peers {topic}
// Event:    {"event":"gossip","topic":..,"data":<UTF-8>,"dataB64":..,"from":..,"seqno":<hex>,
//            "msgId":<base64, js's message id>,"propagationSource":..}
import { gossipsub } from '@libp2p/gossipsub'
import { toString as u8ToString } from 'uint8arrays/to-string'
import { fromString as u8FromString } from 'uint8arrays/from-string'

export const gossipArgs = {
  gossip: { type: 'boolean', default: false },
  'gossip-nosign': { type: 'boolean', default: false },
  'gossip-no-flood': { type: 'boolean', default: false },
  'gossip-d': { type: 'string' },
  'gossip-px': { type: 'boolean', default: false }
}

/** The services entry ({pubsub: ...}) when --gossip is set, else nothing. */
export function gossipServices (opt) {
  if (!opt.gossip) return {}
  const init = {
    globalSignaturePolicy: opt['gossip-nosign'] ? 'StrictNoSign' : 'StrictSign',
    floodPublish: !opt['gossip-no-flood'],
    allowPublishToZeroTopicPeers: true,
    emitSelf: false
  }
  if (opt['gossip-px']) {
    Object.assign(init, {
      doPX: true,
      scoreThresholds: {
        gossipThreshold: -10,
        publishThreshold: -50,
        graylistThreshold: -80,
        acceptPXThreshold: 0,
        opportunisticGraftThreshold: 20
      }
    })
  }
  if (opt['gossip-d'] != null) {
    const [D, Dlo, Dhi] = opt['gossip-d'].split(',').map(Number)
    Object.assign(init, { D, Dlo, Dhi, Dout: Math.min(2, Math.floor(D / 2), Dlo) })
  }
  return { pubsub: gossipsub(init) }
}

/** Installs the message event and returns the gossip commands (none without --gossip). */
export function gossipCommands (node, out) {
  const ps = node.services.pubsub
  if (ps == null) return {}
  const received = new Map() // topic -> data strings, for the received command
  ps.addEventListener('gossipsub:message', (evt) => {
    const { msg, msgId, propagationSource } = evt.detail
    const list = received.get(msg.topic) ?? []
    list.push(u8ToString(msg.data))
    received.set(msg.topic, list)
    out({
      event: 'gossip',
      topic: msg.topic,
      data: u8ToString(msg.data),
      dataB64: u8ToString(msg.data, 'base64pad'),
      from: msg.type === 'signed' ? msg.from.toString() : null,
      seqno: msg.type === 'signed' ? msg.sequenceNumber.toString(16).padStart(16, '0') : null,
      msgId,
      propagationSource: propagationSource.toString()
    })
  })
  return {
    async subscribe ({ topic }) { ps.subscribe(topic); return {} },
    async unsubscribe ({ topic }) { ps.unsubscribe(topic); return {} },
    async publish ({ topic, data, dataB64 }) {
      const bytes = dataB64 != null ? u8FromString(dataB64, 'base64pad') : u8FromString(data ?? '')
      const res = await ps.publish(topic, bytes)
      return { recipients: res.recipients.map(String) }
    },
    async 'publish-many' ({ topic, prefix, count }) {
      let published = 0
      let failed = 0
      for (let i = 0; i < count; i++) {
        try {
          await ps.publish(topic, u8FromString(`${prefix}${i}`))
          published++
        } catch {
          failed++
        }
      }
      return { published, failed }
    },
    async received ({ topic, prefix }) {
      const list = received.get(topic) ?? []
      return { count: list.filter((d) => d.startsWith(prefix ?? '')).length }
    },
    async 'topic-peers' ({ topic }) { return { peers: ps.getSubscribers(topic).map(String) } },
    async 'mesh-peers' ({ topic }) { return { peers: ps.getMeshPeers(topic).map(String) } }
  }
}
