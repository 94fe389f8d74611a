package dev.workflowhttp.component;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.apache.hc.core5.net.WWWFormCodec;

/**
 * The one reading of a map of named fields from a message header: query parameters, request headers, a form and the
 * parts of a multipart body. A name is required (null or empty is refused: a field without a name cannot be sent);
 * a value that is a collection or an array, of objects or of primitives, gives one field per item, except a
 * {@code byte[]}, which is one value.
 */
final class FormFields {

    private FormFields() {}

    /**
     * Calls {@code field} with each name and each of its values, in the map's order.
     *
     * @throws IllegalArgumentException naming {@code header} when a name is null or empty
     */
    static void forEach(String header, Map<?, ?> map, BiConsumer<String, Object> field) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getKey() == null || entry.getKey().toString().isEmpty()) {
                throw new IllegalArgumentException("Invalid header " + header + ": a field name is null or empty");
            }
            String name = entry.getKey().toString();
            for (Object item : values(entry.getValue())) {
                field.accept(name, item);
            }
        }
    }

    /** The fields as text (a null value as empty text). */
    static List<NameValuePair> pairs(String header, Map<?, ?> map) {
        List<NameValuePair> pairs = new ArrayList<>();
        forEach(
                header,
                map,
                (name, value) -> pairs.add(new BasicNameValuePair(name, value == null ? "" : value.toString())));
        return pairs;
    }

    /** The fields as {@code application/x-www-form-urlencoded} text, UTF-8. */
    static String encode(String header, Map<?, ?> map) {
        return WWWFormCodec.format(pairs(header, map), StandardCharsets.UTF_8);
    }

    /** The values one map value stands for. */
    static List<?> values(Object value) {
        if (value instanceof Collection<?> many) {
            return new ArrayList<>(many);
        }
        if (value != null && value.getClass().isArray() && !(value instanceof byte[])) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(Array.get(value, i));
            }
            return items;
        }
        return Collections.singletonList(value);
    }
}
