package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code workflow.broker.url} accepts a broker pair's failover URL, and refuses what the Artemis client would
 * silently ignore: a misspelled or unknown parameter, or a value it cannot read, would leave a failover URL that
 * never fails over.
 */
class BrokerUrlsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "tcp://127.0.0.1:61616",
                "tcp://broker:61616?consumerWindowSize=0",
                "(tcp://a:61616,tcp://b:61617)?ha=true&reconnectAttempts=-1",
                "(tcp://a:61616,tcp://b:61617)?ha=true&reconnectAttempts=-1&retryInterval=100&retryIntervalMultiplier=1.5"
                        + "&maxRetryInterval=1000&consumerWindowSize=0&initialConnectAttempts=5",
                "(tcp://a:61616?sslEnabled=true,tcp://b:61617?sslEnabled=true)?ha=true&type=CF",
                "vm://0"
            })
    void acceptsWhatTheClientReads(String url) {
        assertThat(BrokerUrls.checkClientUrl(url)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            (tcp://a:61616,tcp://b:61617)?ha=true&reconectAttempts=-1 | unknown parameter reconectAttempts (the Artemis client would ignore it); did you mean reconnectAttempts?
            tcp://a:61616?ha=maybe                                     | parameter ha=maybe: not a boolean (true or false)
            (tcp://a:61616,tcp://b:61617)?ha=true&reconnectAttempts=x  | parameter reconnectAttempts=x: not a number
            (tcp://a:61616,tcp://b:61617)ha=true                       | expected ?name=value after the closing parenthesis, not ha=true
            (tcp://a:61616,tcp//b:61617)?ha=true                       | no scheme://
            (tcp://a:61616,tcp://b:61617?ha=true                       | no closing parenthesis
            tcp://a:61616?sslEnabld=true                               | did you mean sslEnabled?
            """)
    void refusesWhatTheClientWouldIgnore(String url, String flaw) {
        assertThat(BrokerUrls.checkClientUrl(url)).contains(flaw);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            tcp://a:61616                                      | 1 | false
            (tcp://a:61616,tcp://b:61617)                      | 2 | false
            (tcp://a:61616,tcp://b:61617)?ha=true              | 2 | true
            """)
    void countsServersAndSeesHa(String url, int servers, boolean ha) {
        assertThat(BrokerUrls.serverCount(url)).isEqualTo(servers);
        assertThat(BrokerUrls.isHa(url)).isEqualTo(ha);
    }
}
