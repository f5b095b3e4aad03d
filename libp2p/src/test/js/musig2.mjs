// A MuSig2 signer for peer.mjs that joins sessions of the Java SDK the way a lotus-sdk node would
// talk: lotus-sdk's envelopes and payloads (reference lotus-sdk-musig2.md 3.3-3.4), the join
// dialled on /lotus/musig2/1.0.0 with the payload as a JSON string (what lotus-sdk's joinSession
// sends), every later message on /lotus/message/1.0.0 with an object payload, plus the fields the
// SDK requires and lotus-sdk lacks: signerIndex, sequenceNumber, nonceDigest and a Lotus Schnorr
// signature over the SDK's canonical encoding (docs/MUSIG2.md, "Authentication").
//
// Every message travels on a stream of its own, so they may arrive in any order: a message that needs
// what has not arrived yet (a nonce or partial signature before the participant list that names its
// sender's peer, a partial signature before every nonce) is held and handled once it can be, as the
// SDK does (docs/MUSIG2.md, "Phases and ordering"); at most HELD_PER_SIGNER per other signer.
//
// Cryptography is lotus-sdk's own MuSig2 as published on npm in xpi-ts (lib/bitcore/crypto/musig2:
// Lotus key aggregation, nonce generation, partial signing and verification, aggregation with the
// quadratic-residue nonce rule), loaded through its CommonJS build. Election: lexicographic only.
//
// Enabled with --lotus (it listens through lotus.mjs's /lotus/message/1.0.0 handler).
// Commands: musig2-join {announcement, privateKey (hex), joinProtocol?} -> {sessionId, signerIndex}
//           musig2-keyagg {publicKeys: [hex]}                        -> {aggregateKey}
// Events:   {"event":"musig2-signature","sessionId","signature"}  every partial signature in
//           {"event":"musig2-complete","sessionId","signature","from"}  SESSION_COMPLETE received
//           {"event":"musig2-aborted","sessionId","reason","from"}
//           {"event":"musig2-error","sessionId","error"}
import { createHash, randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { peerIdFromString } from '@libp2p/peer-id'
import { fromString as u8FromString } from 'uint8arrays/from-string'

const require = createRequire(import.meta.url)
const { PrivateKey } = require('xpi-ts/lib/bitcore/privatekey')
const { PublicKey } = require('xpi-ts/lib/bitcore/publickey')
const { BN } = require('xpi-ts/lib/bitcore/crypto/bn')
const { Schnorr } = require('xpi-ts/lib/bitcore/crypto/schnorr')
const { Point } = require('xpi-ts/lib/bitcore/crypto/point')
const { Signature } = require('xpi-ts/lib/bitcore/crypto/signature')
const musig = require('xpi-ts/lib/bitcore/crypto/musig2')

const MESSAGE_PROTOCOL = '/lotus/message/1.0.0'
const MUSIG2_PROTOCOL = '/lotus/musig2/1.0.0'
const DOMAIN = 'lotus-musig2-p2p/v1/message'
const HELD_PER_SIGNER = 4 // the SDK's default maxDeferredPerSigner

const sha256 = (b) => createHash('sha256').update(b).digest()
const lp = (b) => { const l = Buffer.alloc(4); l.writeUInt32BE(b.length); return Buffer.concat([l, b]) }
const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v); return b }
const u64 = (v) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(v)); return b }
const str = (s) => lp(Buffer.from(s, 'utf8'))
const hex = (b) => Buffer.from(b).toString('hex')
const scalar32 = (bn) => Buffer.from(bn.toBuffer({ size: 32 }))
const pointBytes = (p) => Buffer.from(Point.pointToCompressed(p))
const messageId = () => Date.now().toString(36) + '-' + randomBytes(8).toString('hex')

/** The fields each message type adds to the signed encoding (SignedEncoding.writeSignedFields). */
const signedFields = {
  'musig2:session-join': (p) => lp(Buffer.from(p.signerPublicKey, 'hex')),
  'musig2:nonce-share': (p) => Buffer.concat([u32(p.signerIndex),
    lp(Buffer.from(p.publicNonces.r1, 'hex')), lp(Buffer.from(p.publicNonces.r2, 'hex'))]),
  'musig2:partial-sig-share': (p) => Buffer.concat([u32(p.signerIndex),
    lp(Buffer.from(p.partialSig, 'hex')), Buffer.from([1]), lp(Buffer.from(p.nonceDigest, 'hex'))]),
  'musig2:session-complete': (p) => Buffer.concat([Buffer.from([1]), u32(p.signerIndex),
    lp(Buffer.concat([Buffer.from(p.finalSignature.r, 'hex'), Buffer.from(p.finalSignature.s, 'hex')]))])
}

function digestOf (type, from, id, payload) {
  return sha256(Buffer.concat([str(DOMAIN), str(type), str(from), str(id), str(payload.sessionId),
    u64(payload.sequenceNumber), u64(payload.timestamp), signedFields[type](payload)]))
}

function schnorrSign (digest, key) {
  const sig = Schnorr.sign(digest, key)
  return Buffer.concat([scalar32(sig.r), scalar32(sig.s)])
}

export function musig2Commands (node, out, opt, lotusListeners) {
  if (!opt.lotus) return {}
  const self = node.peerId.toString()
  const sessions = new Map()

  const send = async (peer, envelope, protocol = MESSAGE_PROTOCOL) => {
    const stream = await node.dialProtocol(peerIdFromString(peer), protocol)
    stream.send(u8FromString(JSON.stringify(envelope)))
    await stream.close()
  }

  /** A signed envelope of this peer; the payload as lotus-sdk builds it plus the SDK's fields. */
  const seal = (s, type, fields, asString = false) => {
    const id = messageId()
    const payload = { sessionId: s.id, ...fields, timestamp: Date.now(), sequenceNumber: s.seq++ }
    payload.signature = hex(schnorrSign(digestOf(type, self, id, payload), s.key))
    return {
      type,
      from: self,
      payload: asString ? JSON.stringify(payload) : payload,
      timestamp: Date.now(),
      messageId: id,
      protocol: 'musig2'
    }
  }

  const toAll = (s, envelope) => Promise.all([...s.peers.entries()]
    .filter(([i]) => i !== s.index)
    .map(([, peer]) => send(peer, envelope)))

  const fail = (s, err) => out({ event: 'musig2-error', sessionId: s.id, error: String(err?.message ?? err) })

  /** Checks a message of another signer: its index, its peer, its signature under that signer's key. */
  const authentic = (s, m, p) => {
    const i = p.signerIndex
    if (!Number.isInteger(i) || i === s.index || s.peers.get(i) !== m.from) return false
    const digest = digestOf(m.type, m.from, m.messageId, p)
    const sig = Buffer.from(p.signature, 'hex')
    const parsed = new Signature({ r: BN.fromBuffer(sig.subarray(0, 32)), s: BN.fromBuffer(sig.subarray(32)), isSchnorr: true })
    return Schnorr.verify(digest, parsed, s.signers[i])
  }

  /** Whether a message can be handled now or must wait for an earlier one (see the header). */
  const ready = (s, m) => {
    switch (m.type) {
      case 'musig2:nonce-share':
      case 'musig2:session-complete':
        return s.peers.size > 0
      case 'musig2:partial-sig-share':
        return s.peers.size > 0 && s.aggNonce != null
      default:
        return true
    }
  }

  const step = async (s) => {
    if (s.phase === 'joined' && s.peers.size === s.signers.length) {
      // round 1: a fresh nonce, shared with every other signer
      s.phase = 'nonces'
      s.nonce = musig.muSig2NonceGen(s.key, s.ctx.aggregatedPubKey, s.message, randomBytes(32))
      const [r1, r2] = s.nonce.publicNonces.map(pointBytes)
      s.nonces.set(s.index, s.nonce.publicNonces)
      s.raw.set(s.index, Buffer.concat([r1, r2]))
      await toAll(s, seal(s, 'musig2:nonce-share', { signerIndex: s.index, publicNonces: { r1: hex(r1), r2: hex(r2) } }))
    }
    if (s.phase === 'nonces' && s.nonces.size === s.signers.length) {
      // round 2: the partial signature over the aggregate nonce, with the digest of the nonces used
      s.phase = 'partials'
      const order = [...Array(s.signers.length).keys()]
      s.aggNonce = musig.muSig2NonceAgg(order.map(i => s.nonces.get(i)))
      const psig = musig.muSig2PartialSign(s.nonce, s.key, s.ctx, s.index, s.aggNonce, s.message)
      s.partials.set(s.index, psig)
      const nonceDigest = sha256(Buffer.concat(order.map(i => s.raw.get(i))))
      await toAll(s, seal(s, 'musig2:partial-sig-share',
        { signerIndex: s.index, partialSig: hex(scalar32(psig)), nonceDigest: hex(nonceDigest) }))
    }
    if (s.phase === 'partials' && s.partials.size === s.signers.length) {
      s.phase = 'signed'
      const order = [...Array(s.signers.length).keys()]
      const sig = musig.muSig2SigAgg(order.map(i => s.partials.get(i)), s.aggNonce, s.message, s.ctx.aggregatedPubKey)
      const r = scalar32(sig.r)
      const sv = scalar32(sig.s)
      out({ event: 'musig2-signature', sessionId: s.id, signature: hex(Buffer.concat([r, sv])) })
      if (s.index === 0) {
        // lexicographic election: index 0 finalises
        await toAll(s, seal(s, 'musig2:session-complete',
          { finalSignature: { r: hex(r), s: hex(sv) }, signerIndex: s.index }))
      }
    }
  }

  const handle = async (m) => {
    const p = typeof m.payload === 'string' ? JSON.parse(m.payload) : m.payload
    const s = sessions.get(p?.sessionId)
    if (s == null) return
    if (!ready(s, m)) {
      if (s.held.length >= HELD_PER_SIGNER * (s.signers.length - 1)) {
        fail(s, `more than ${s.held.length} messages arrived ahead of their phase; dropped ${m.type}`)
      } else {
        s.held.push(m)
      }
      return
    }
    try {
      switch (m.type) {
        case 'musig2:session-join-ack':
          if (m.from !== s.creator || p.accepted !== true || p.signerIndex !== s.index) {
            fail(s, `join refused or index mismatch: ${JSON.stringify(p)}`)
            return
          }
          break
        case 'musig2:session-participants':
          if (m.from !== s.creator) return
          for (const e of p.participants) {
            if (e.publicKey !== s.ann.signers[e.signerIndex]) throw new Error(`participant ${e.signerIndex} has another key`)
            s.peers.set(e.signerIndex, e.peerId)
          }
          s.peers.set(s.index, self)
          break
        case 'musig2:nonce-share':
          if (!authentic(s, m, p)) throw new Error(`nonce of signer ${p.signerIndex} is not authentic`)
          s.nonces.set(p.signerIndex, [p.publicNonces.r1, p.publicNonces.r2].map(h => PublicKey.fromBuffer(Buffer.from(h, 'hex')).point))
          s.raw.set(p.signerIndex, Buffer.from(p.publicNonces.r1 + p.publicNonces.r2, 'hex'))
          break
        case 'musig2:partial-sig-share': {
          if (!authentic(s, m, p)) throw new Error(`partial signature of signer ${p.signerIndex} is not authentic`)
          const psig = BN.fromBuffer(Buffer.from(p.partialSig, 'hex'))
          const ok = musig.muSig2PartialSigVerify(psig, s.nonces.get(p.signerIndex), s.signers[p.signerIndex],
            s.ctx, p.signerIndex, s.aggNonce, s.message)
          if (!ok) throw new Error(`partial signature of signer ${p.signerIndex} does not verify`)
          s.partials.set(p.signerIndex, psig)
          break
        }
        case 'musig2:session-complete':
          if (!authentic(s, m, p)) throw new Error('SESSION_COMPLETE is not authentic')
          out({ event: 'musig2-complete', sessionId: s.id, signature: p.finalSignature.r + p.finalSignature.s, from: m.from })
          return
        case 'musig2:session-abort':
          out({ event: 'musig2-aborted', sessionId: s.id, reason: p.reason, from: m.from })
          s.phase = 'aborted'
          return
        default:
          return
      }
      await step(s)
    } catch (err) {
      fail(s, err)
    }
    // what this message brought (the participant list, the last nonce) may free held ones
    for (let i; (i = s.held.findIndex(h => ready(s, h))) >= 0;) {
      await handle(s.held.splice(i, 1)[0])
    }
  }

  // messages arrive one at a time, in the order their streams ended
  let chain = Promise.resolve()
  lotusListeners.push((m) => {
    if (m?.protocol !== 'musig2') return
    chain = chain.then(() => handle(m))
  })

  return {
    async 'musig2-keyagg' ({ publicKeys }) {
      const ctx = musig.muSig2KeyAgg(publicKeys.map(h => PublicKey.fromBuffer(Buffer.from(h, 'hex'))))
      return { aggregateKey: hex(ctx.aggregatedPubKey.toBuffer()) }
    },
    async 'musig2-join' ({ announcement: ann, privateKey, joinProtocol }) {
      const key = PrivateKey.fromBuffer(Buffer.from(privateKey, 'hex'))
      const pub = hex(key.toPublicKey().toBuffer())
      const index = ann.signers.indexOf(pub)
      if (index < 0) throw new Error('the key is not a signer of the session')
      if ((ann.electionMethod ?? 'lexicographic') !== 'lexicographic') throw new Error('only the lexicographic election is supported')
      if (ann.nonceCommitments === true || ann.taprootMerkleRoot != null) throw new Error('commitment rounds and Taproot are not supported here')
      const message = Buffer.from(ann.message, 'hex')
      if (hex(sha256(message)) !== ann.messageHash) throw new Error('messageHash is not the SHA-256 of message')
      const signers = ann.signers.map(h => PublicKey.fromBuffer(Buffer.from(h, 'hex')))
      const s = {
        id: ann.sessionId, ann, key, message, signers, index, creator: ann.coordinatorPeerId,
        ctx: musig.muSig2KeyAgg(signers), seq: 0, phase: 'joined', peers: new Map(),
        nonces: new Map(), raw: new Map(), partials: new Map(), held: []
      }
      sessions.set(s.id, s)
      // lotus-sdk's joinSession: SESSION_JOIN dialled on /lotus/musig2/1.0.0, payload as a string
      await send(s.creator, seal(s, 'musig2:session-join', { signerPublicKey: pub }, true), joinProtocol ?? MUSIG2_PROTOCOL)
      return { sessionId: s.id, signerIndex: index }
    }
  }
}
