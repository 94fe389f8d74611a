package dev.workflowhttp.app;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.OrderedLocationProperties;

/**
 * Where the application's settings come from, as Camel reads them: the configuration file, then the matching
 * environment variable, then a {@code -D} system property (and, in tests, override properties). Knows which source
 * set a key, so that a refusal can say where to fix it.
 */
public final class SettingSources {

    private final PropertiesComponent properties;
    private final Path configFile;
    /** What the properties component loaded (the file read), kept until a default is added. */
    private Properties loaded;

    public SettingSources(PropertiesComponent properties, Path configFile) {
        this.properties = properties;
        this.configFile = configFile;
    }

    /** The keys with this prefix set in the file, as system properties or as override properties. */
    public Set<String> keysStartingWith(String prefix) {
        Set<String> keys = new LinkedHashSet<>();
        for (String key : loaded().stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                keys.add(key);
            }
        }
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** The value Camel resolves for {@code key}, placeholders in it resolved too. */
    public Optional<String> value(String key) {
        return properties.resolveProperty(key);
    }

    /** Makes {@code value} the key's value when no source sets it, for the routes' placeholders as well. */
    public void defaultValue(String key, String value) {
        if (properties.resolveProperty(key).isEmpty()) {
            properties.addInitialProperty(key, value);
            loaded = null;
        }
    }

    /** The key's value as written, placeholders not resolved; empty when no file or override sets it. */
    public Optional<String> rawValue(String key) {
        return Optional.ofNullable(loaded().getProperty(key));
    }

    private Properties loaded() {
        if (loaded == null) {
            loaded = properties.loadProperties();
        }
        return loaded;
    }

    /** Where the key's value comes from, in the words a user needs to find it. */
    public String describe(String key) {
        Properties loaded = loaded();
        // an OrderedLocationProperties keeps its entries outside the Hashtable: containsKey does not see them
        String location = loaded instanceof OrderedLocationProperties ordered && loaded.getProperty(key) != null
                ? ordered.getLocation(key)
                : null;
        if ("override".equals(location)) {
            return "override properties";
        }
        if (System.getProperty(key) != null) {
            return "system property -D" + key;
        }
        String variable = environmentVariable(key);
        if (System.getenv(variable) != null) {
            return "environment variable " + variable;
        }
        if (location == null || location.equals("initial")) {
            return "default";
        }
        return "in " + shortLocation(location);
    }

    private String shortLocation(String location) {
        String path = location;
        for (String scheme : new String[] {"file:", "classpath:"}) {
            if (path.startsWith(scheme)) {
                path = path.substring(scheme.length());
            }
        }
        return Path.of(path)
                        .toAbsolutePath()
                        .normalize()
                        .equals(configFile.toAbsolutePath().normalize())
                ? configFile.toString()
                : path;
    }

    /** Camel's environment variable for a key: upper case, dots and dashes as underscores. */
    public static String environmentVariable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Environment variables that look like a setting of this prefix ({@code WORKFLOW_}), with their names. */
    public static Map<String, String> environmentStartingWith(String prefix) {
        String variablePrefix = environmentVariable(prefix);
        Map<String, String> found = new java.util.TreeMap<>();
        System.getenv().forEach((name, value) -> {
            if (name.startsWith(variablePrefix)) {
                found.put(name, value);
            }
        });
        return found;
    }
}
