package org.lotusia.chain.chronik;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.lotusia.chain.chronik.proto.Tx;
import org.lotusia.chain.chronik.proto.Utxos;

/** A small in-memory Chronik for MockWebServer: txs by txid, a tip, UTXOs by path. */
public final class FakeChronik extends Dispatcher {

  public final Map<String, Tx> txs = new ConcurrentHashMap<>();
  public final Map<String, Utxos> utxos = new ConcurrentHashMap<>();
  public final AtomicInteger tipHeight = new AtomicInteger(1000);
  public final List<String> paths = new CopyOnWriteArrayList<>();

  /** When set, answered to every request instead of the normal reply. */
  public volatile MockResponse override;

  /** Answer to the next WebSocket upgrade request, if any. */
  public volatile MockResponse wsUpgrade;

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    paths.add(path);
    if (override != null) {
      return override;
    }
    if (path.equals("/ws")) {
      MockResponse ws = wsUpgrade;
      return ws != null ? ws : new MockResponse().setResponseCode(404);
    }
    if (path.equals("/blockchain-info")) {
      return ChronikFixtures.ok(ChronikFixtures.tip(tipHeight.get()));
    }
    if (path.startsWith("/tx/")) {
      Tx tx = txs.get(path.substring(4));
      return tx != null
          ? ChronikFixtures.ok(tx)
          : ChronikFixtures.error(
              404, "tx-not-found", "Txid not found: " + path.substring(4), true);
    }
    if (path.startsWith("/script/")) {
      Utxos u = utxos.get(path);
      return ChronikFixtures.ok(u != null ? u : Utxos.getDefaultInstance());
    }
    return ChronikFixtures.error(404, "not-found", "no route " + path, true);
  }
}
