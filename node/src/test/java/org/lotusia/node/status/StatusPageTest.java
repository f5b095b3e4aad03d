package org.lotusia.node.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The status page: shows the document's values, escapes what peers supply, refreshes itself. */
class StatusPageTest {

  @Test
  void peerSuppliedTextCannotInjectMarkup() throws Exception {
    ObjectNode s = (ObjectNode) new ObjectMapper().readTree(
        "{\"peerId\":\"12D3KooWself\",\"addrs\":[\"/ip4/127.0.0.1/tcp/1\"],\"state\":\"DHT_READY\","
            + "\"peers\":[{\"peerId\":\"12D3KooWother\",\"agentVersion\":\"<script>alert(1)</script>\","
            + "\"addrs\":[],\"protocols\":[\"/x/\\\"><img src=x>\"],\"connections\":[{\"direction\":\"inbound\","
            + "\"remoteAddr\":\"/ip4/127.0.0.1/tcp/2\",\"streams\":{\"/lotus/kad/1.0.0\":2}}]}],"
            + "\"topics\":{\"enabled\":true,\"subscribed\":[{\"topic\":\"chat\",\"meshPeers\":3,\"topicPeers\":4}]},"
            + "\"dht\":{\"mode\":\"server\",\"routingTableSize\":5,\"buckets\":[0,5],\"storedRecords\":7,"
            + "\"providerKeys\":1,\"queries\":{\"started\":3,\"succeeded\":2,\"failed\":1}},"
            + "\"messages\":{},\"security\":{\"bannedPeers\":[\"12D3KooWbad\"],\"rejectionsByReason\":{\"PEER_BANNED\":4}}}");
    String html = StatusPage.render(s);
    assertThat(html)
        .contains("<meta http-equiv=\"refresh\" content=\"5\">")
        .contains("<code id=\"peer-id\">12D3KooWself</code>")
        .contains("<span id=\"state\">DHT_READY</span>")
        .contains("<span id=\"stored-records\">7</span>")
        .contains("/lotus/kad/1.0.0 &times; 2")
        .contains("PEER_BANNED: 4")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .doesNotContain("<script>")
        .doesNotContain("<img");
  }
}
