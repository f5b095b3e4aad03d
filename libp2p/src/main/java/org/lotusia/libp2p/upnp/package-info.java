/**
 * UPnP Internet Gateway Device port mapping ({@link org.lotusia.libp2p.upnp.UpnpNat}): SSDP
 * discovery, the WANIPConnection / WANPPPConnection SOAP actions, lease renewal, double-NAT
 * detection, and the mapped addresses handed to the host's address manager for AutoNAT to confirm.
 * Off unless the application starts it.
 */
package org.lotusia.libp2p.upnp;
