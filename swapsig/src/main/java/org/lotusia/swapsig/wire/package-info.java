/**
 * SwapSig's wire format: the pool announcement, the message payloads with lotus-sdk's names and
 * fields plus the added ones, their strict decoders and their signatures over canonical JSON.
 */
package org.lotusia.swapsig.wire;
