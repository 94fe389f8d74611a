package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The standalone broker's command line: a broker on its own, or one half of a shared-store pair; mistakes named. */
class StandaloneBrokerOptionsTest {

    @Test
    void withoutArgumentsABrokerOnItsOwnOnTheDefaults() {
        StandaloneBroker.Options options = StandaloneBroker.Options.parse();
        assertThat(options.listenUrl()).isEqualTo("tcp://127.0.0.1:61616");
        assertThat(options.dataDir()).isEqualTo(Path.of("data/broker"));
        assertThat(options.ha()).isNull();
    }

    @Test
    void aPrimaryNamesItsPeerAndIsReachedAtItsListenUrl() {
        StandaloneBroker.Options options = StandaloneBroker.Options.parse(
                "tcp://127.0.0.1:61616", "/shared/store", "--ha=primary", "--peer=tcp://127.0.0.1:61617");
        assertThat(options.ha())
                .isEqualTo(new BrokerHa(BrokerHa.Role.PRIMARY, "tcp://127.0.0.1:61616", "tcp://127.0.0.1:61617"));
        assertThat(options.dataDir()).isEqualTo(Path.of("/shared/store"));
    }

    @Test
    void aBackupListeningOnEveryAddressNamesTheConnectorOthersReachItAt() {
        StandaloneBroker.Options options = StandaloneBroker.Options.parse(
                "tcp://0.0.0.0:61617",
                "/shared/store",
                "--ha=BACKUP",
                "--peer=tcp://broker-a:61616",
                "--connector=tcp://broker-b:61617");
        assertThat(options.ha())
                .isEqualTo(new BrokerHa(BrokerHa.Role.BACKUP, "tcp://broker-b:61617", "tcp://broker-a:61616"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            tcp://127.0.0.1:61616 --ha=primary                                        | --ha=primary needs --peer=tcp://host:port
            tcp://127.0.0.1:61616 --ha=leader --peer=tcp://127.0.0.1:61617            | --ha=leader: expected primary or backup
            tcp://127.0.0.1:61616 --peer=tcp://127.0.0.1:61617                        | --peer belongs to a broker pair: add --ha=primary or --ha=backup
            tcp://127.0.0.1:61616 --ha=primary --per=tcp://127.0.0.1:61617            | unknown option --per; did you mean --peer?
            tcp://127.0.0.1:61616 --ha=primary --peer=broker-b                        | --peer=broker-b: no scheme://
            tcp://127.0.0.1:61616 --ha=primary --peer=tcp://127.0.0.1:61616           | is this broker itself
            tcp://0.0.0.0:61616 --ha=primary --peer=tcp://b:61617                     | add --connector=tcp://<this host's name>:61616
            tcp://127.0.0.1:61616 --ha                                                | option --ha needs a value
            tcp://127.0.0.1 data                                                      | listen URL tcp://127.0.0.1: no port in tcp://127.0.0.1
            tcp://127.0.0.1:61616 data extra                                          | unexpected argument extra
            """)
    void mistakesAreNamed(String commandLine, String message) {
        assertThatThrownBy(() -> StandaloneBroker.Options.parse(commandLine.split(" ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
