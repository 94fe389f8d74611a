package dev.workflowhttp.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures every log event of every logger, at every level down to TRACE, while open: the formatted message, the
 * logger name and the whole stack trace of a thrown exception. Closing restores the levels.
 */
public final class CapturedLogs implements AutoCloseable {

    /** One captured event. */
    public record Line(String logger, Level level, String text) {
        @Override
        public String toString() {
            return level + " " + logger + " - " + text;
        }
    }

    private final List<Line> lines = new ArrayList<>();
    private final LoggerContext loggerContext;
    private final Configuration configuration;
    private final AbstractAppender appender;
    private final Map<LoggerConfig, Level> levelsBefore = new HashMap<>();

    private CapturedLogs() {
        loggerContext = (LoggerContext) LogManager.getContext(false);
        configuration = loggerContext.getConfiguration();
        appender = new AbstractAppender("captured-logs", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringBuilder text = new StringBuilder(event.getMessage().getFormattedMessage());
                if (event.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    event.getThrown().printStackTrace(new PrintWriter(trace));
                    text.append('\n').append(trace);
                }
                synchronized (lines) {
                    lines.add(new Line(event.getLoggerName(), event.getLevel(), text.toString()));
                }
            }
        };
        appender.start();
        configuration.addAppender(appender);
        for (LoggerConfig logger : configuration.getLoggers().values()) {
            levelsBefore.put(logger, logger.getLevel());
            logger.setLevel(Level.TRACE);
        }
        LoggerConfig root = configuration.getRootLogger();
        levelsBefore.putIfAbsent(root, root.getLevel());
        root.setLevel(Level.TRACE);
        // on the root only: every logger's events reach it, and the console keeps its own (info) threshold
        root.addAppender(appender, Level.TRACE, null);
        for (Map.Entry<String, org.apache.logging.log4j.core.Appender> existing :
                root.getAppenders().entrySet()) {
            if (!existing.getKey().equals(appender.getName())) {
                root.removeAppender(existing.getKey());
                root.addAppender(existing.getValue(), Level.INFO, null);
            }
        }
        loggerContext.updateLoggers();
    }

    public static CapturedLogs start() {
        return new CapturedLogs();
    }

    public List<Line> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** The captured lines containing {@code text}. */
    public List<Line> containing(String text) {
        return lines().stream().filter(line -> line.text().contains(text)).toList();
    }

    @Override
    public void close() {
        LoggerConfig root = configuration.getRootLogger();
        root.removeAppender(appender.getName());
        for (Map.Entry<LoggerConfig, Level> before : levelsBefore.entrySet()) {
            before.getKey().setLevel(before.getValue());
        }
        loggerContext.updateLoggers();
        appender.stop();
    }
}
