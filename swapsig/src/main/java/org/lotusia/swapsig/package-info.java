/**
 * SwapSig pools: {@link org.lotusia.swapsig.SwapSigManager} creates, announces, discovers and joins
 * pools and carries each participation through registration, setup, reveal, settlement and refund,
 * behind the network port {@link org.lotusia.swapsig.SwapSigNetwork} and a Chronik client. The
 * protocol and its decisions are in docs/SWAPSIG.md.
 */
package org.lotusia.swapsig;
