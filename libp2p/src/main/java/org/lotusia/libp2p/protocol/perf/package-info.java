/**
 * Perf ({@code /perf/1.0.0}): throughput measurement.
 */
package org.lotusia.libp2p.protocol.perf;
