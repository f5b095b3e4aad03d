package org.lotusia.libp2p.protocol.kad;

import java.util.List;
import org.lotusia.libp2p.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps the application's {@link RecordPersistence} so that one that throws never breaks a store
 * operation: the failure is logged (once per kind of call until one succeeds again) and the DHT goes
 * on with the record in memory. Loading failures yield no records.
 */
final class GuardedPersistence implements RecordPersistence {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedPersistence.class);

  private final RecordPersistence delegate;
  private boolean failing; // DHT thread only

  GuardedPersistence(RecordPersistence delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<StoredRecord> loadRecords() {
    try {
      return List.copyOf(delegate.loadRecords());
    } catch (RuntimeException e) {
      LOG.warn("DHT persistence could not load records; starting without them", e);
      return List.of();
    }
  }

  @Override
  public List<StoredProvider> loadProviders() {
    try {
      return List.copyOf(delegate.loadProviders());
    } catch (RuntimeException e) {
      LOG.warn("DHT persistence could not load provider records; starting without them", e);
      return List.of();
    }
  }

  @Override
  public void recordStored(StoredRecord record) {
    guard(() -> delegate.recordStored(record));
  }

  @Override
  public void recordRemoved(byte[] key) {
    guard(() -> delegate.recordRemoved(key.clone()));
  }

  @Override
  public void providerStored(StoredProvider provider) {
    guard(() -> delegate.providerStored(provider));
  }

  @Override
  public void providerRemoved(byte[] key, PeerId provider) {
    guard(() -> delegate.providerRemoved(key.clone(), provider));
  }

  private void guard(Runnable call) {
    try {
      call.run();
      failing = false;
    } catch (RuntimeException e) {
      if (!failing) {
        LOG.warn("DHT persistence failed; the record is kept in memory only", e);
      }
      failing = true;
    }
  }
}
