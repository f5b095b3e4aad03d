/** {@code lotus-p2p demo}: checked steps on an in-process network of coordinators. */
package org.lotusia.node.demo;
