package org.lotusia.musig2.p2p.discovery;

/** What a {@link MuSig2Discovery} listener hears, on the listener executor, in order. */
public sealed interface MuSig2DiscoveryEvent {

  /**
   * A verified signer advert arrived (or was renewed).
   *
   * @param advertisement the advert
   * @param publisherPeerId the peer that published it
   */
  record SignerDiscovered(SignerAdvertisement advertisement, String publisherPeerId)
      implements MuSig2DiscoveryEvent {}

  /**
   * A verified signing request arrived.
   *
   * @param request the request
   * @param publisherPeerId the peer that published it
   */
  record SigningRequestReceived(SigningRequest request, String publisherPeerId)
      implements MuSig2DiscoveryEvent {}

  /**
   * An advert was refused.
   *
   * @param publisherPeerId the peer that published it
   * @param reason what was wrong
   */
  record AdvertRejected(String publisherPeerId, String reason) implements MuSig2DiscoveryEvent {}
}
