package dev.workflowhttp.app;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Points Log4j at the application's logging configuration, {@code log4j2.properties} next to its configuration file,
 * unless {@code -Dlog4j2.configurationFile} names another. The jar itself carries none: as a library it must not
 * take over its users' logging.
 */
final class AppLogging {

    static final String LOG4J_CONFIGURATION = "log4j2.configurationFile";

    private AppLogging() {}

    /** Must run before the first logger is created. */
    static void useConfigurationNextTo(Path configFile) {
        if (System.getProperty(LOG4J_CONFIGURATION) != null) {
            return;
        }
        Path logging = configFile.resolveSibling("log4j2.properties");
        if (Files.isRegularFile(logging)) {
            System.setProperty(LOG4J_CONFIGURATION, logging.toAbsolutePath().toString());
        }
    }
}
