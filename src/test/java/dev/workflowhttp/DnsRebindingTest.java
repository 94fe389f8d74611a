package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.LoopbackDns;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connection goes to the address that was checked. A rebinding name server answers the check with an allowed
 * address and a second lookup with a refused one; the step must not look again. Both answers are loopback: the
 * "refused" one, 127.0.0.2, is refused by {@code deniedHosts}, and a server listens there on the same port to show
 * where a second lookup would have led.
 */
class DnsRebindingTest extends WorkflowHttpTestSupport {

    private final LoopbackDns dns = new LoopbackDns().answer("rebinding.test", "127.0.0.1", "127.0.0.2");
    private HostileServer checked;
    private HostileServer rebound;

    @Override
    protected void configure(WorkflowHttpComponent component) {
        component.setDnsResolver(dns);
    }

    @BeforeEach
    void startServers() throws Exception {
        checked = closeAfterLeakCheck(HostileServer.start(connection -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nchecked");
        }));
        rebound = closeAfterLeakCheck(HostileServer.start(
                new InetSocketAddress(InetAddress.getByName("127.0.0.2"), checked.port()), connection -> {
                    connection.readRequest();
                    connection.write("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nrebound");
                }));
    }

    @Test
    void connectionGoesToTheCheckedAddressNotToASecondAnswer() throws Exception {
        Exchange result = template.request(
                "workflow-http:http://rebinding.test:" + checked.port()
                        + "/x?restrictedNetworks=none&deniedHosts=127.0.0.2",
                e -> {});

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("checked");
        assertThat(rebound.connections()).as("connections to the second answer").isEmpty();
        assertThat(dns.lookups("rebinding.test")).as("lookups of the name").isEqualTo(1);
        assertThat(checked.nextRequestHead(Duration.ofSeconds(1)))
                .containsIgnoringCase("Host: rebinding.test:" + checked.port());
    }
}
