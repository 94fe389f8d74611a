package dev.workflowhttp.component;

import dev.workflowhttp.FormPart;
import dev.workflowhttp.WorkflowHttpConstants;
import dev.workflowhttp.internal.http.BodyInputStream;
import dev.workflowhttp.internal.http.MultipartBody;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Reads the {@code CamelWorkflowHttpMultipart} header into a {@link MultipartBody}: each entry a field, a list value
 * several fields of one name. Files are checked (they exist, are readable) and measured here, so a bad path fails
 * before a connection is made, naming the part and the path.
 */
final class Multipart {

    private static final String HEADER = WorkflowHttpConstants.MULTIPART;
    private static final String OCTET_STREAM = "application/octet-stream";

    private Multipart() {}

    static MultipartBody body(
            Object header,
            String method,
            boolean otherBody,
            String contentTypeOption,
            String maskedUrl,
            Executor streamReader) {
        if (!(header instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("Invalid header " + HEADER + ": expected a Map, got "
                    + header.getClass().getName());
        }
        if (!method.equals("POST") && !method.equals("PUT") && !method.equals("PATCH")) {
            throw new IllegalArgumentException("Header " + HEADER + " needs the method POST, PUT or PATCH, not "
                    + method + " (" + maskedUrl + ")");
        }
        if (otherBody) {
            throw new IllegalArgumentException("Header " + HEADER + " cannot be combined with a message body or "
                    + WorkflowHttpConstants.FORM + ": send one of them (" + maskedUrl + ")");
        }
        if (contentTypeOption != null) {
            throw new IllegalArgumentException("Option contentType (" + contentTypeOption + ") cannot be combined with "
                    + "header " + HEADER + ": the step sends multipart/form-data with its own boundary (" + maskedUrl
                    + ")");
        }
        List<MultipartBody.Part> parts = new ArrayList<>();
        List<Long> lengths = new ArrayList<>();
        readParts(map, parts, lengths);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("Invalid header " + HEADER + ": no fields (" + maskedUrl + ")");
        }
        return MultipartBody.of(parts, lengths, streamReader);
    }

    private static void readParts(Map<?, ?> map, List<MultipartBody.Part> parts, List<Long> lengths) {
        FormFields.forEach(HEADER, map, (name, value) -> parts.add(part(name, value, lengths)));
    }

    /** Closes the {@code InputStream} values of a multipart header that will not be sent. */
    static void closeStreams(Object header) {
        if (!(header instanceof Map<?, ?> map)) {
            return;
        }
        for (Object value : map.values()) {
            for (Object item : FormFields.values(value)) {
                Object content = item instanceof FormPart formPart ? formPart.content() : item;
                if (content instanceof InputStream stream) {
                    try {
                        stream.close();
                    } catch (IOException ignored) {
                        // closing what will not be read
                    }
                }
            }
        }
    }

    private static MultipartBody.Part part(String name, Object value, List<Long> lengths) {
        FormPart given = value instanceof FormPart formPart ? formPart : null;
        Object content = given != null ? given.content() : value;
        String filename = given != null ? given.filename() : null;
        String contentType = given != null ? given.contentType() : null;
        if (contentType != null) {
            RequestFactory.checkHeader("Content-Type", contentType);
        }
        if (filename != null) {
            RequestFactory.checkHeader("Content-Disposition", filename);
        }
        if (content instanceof File file) {
            content = file.toPath();
        }
        if (content == null
                || content instanceof String
                || content instanceof Number
                || content instanceof Boolean
                || content instanceof CharSequence) {
            byte[] text = (content == null ? "" : content.toString()).getBytes(StandardCharsets.UTF_8);
            return new MultipartBody.Part(
                    name,
                    filename,
                    contentType != null ? contentType : filename != null ? "text/plain; charset=UTF-8" : null,
                    text);
        }
        if (content instanceof byte[] bytes) {
            return new MultipartBody.Part(name, filename, contentType != null ? contentType : OCTET_STREAM, bytes);
        }
        if (content instanceof BodyInputStream) {
            throw new IllegalArgumentException("Header " + HEADER + ", part '" + name + "': the streamed body of a "
                    + "workflow-http step cannot be sent as a part: its bytes arrive on the I/O threads that would send "
                    + "it; read it into a file (or use bodyMode=materialize) first");
        }
        if (content instanceof InputStream stream) {
            return new MultipartBody.Part(name, filename, contentType != null ? contentType : OCTET_STREAM, stream);
        }
        if (content instanceof Path path) {
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("Header " + HEADER + ", part '" + name + "': " + path
                        + (Files.exists(path) ? " is not a regular file" : " does not exist"));
            }
            if (!Files.isReadable(path)) {
                throw new IllegalArgumentException(
                        "Header " + HEADER + ", part '" + name + "': " + path + " is not readable");
            }
            try {
                lengths.add(Files.size(path));
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "Header " + HEADER + ", part '" + name + "': " + path + " cannot be read: " + e.getMessage(),
                        e);
            }
            String fileName = filename != null
                    ? filename
                    : path.getFileName() != null ? path.getFileName().toString() : name;
            return new MultipartBody.Part(name, fileName, contentType != null ? contentType : probe(path), path);
        }
        throw new IllegalArgumentException("Header " + HEADER + ", part '" + name + "': a "
                + content.getClass().getName()
                + " cannot be sent (expected a String, byte[], File, Path, InputStream or FormPart)");
    }

    private static String probe(Path path) {
        try {
            String type = Files.probeContentType(path);
            return type != null ? type : OCTET_STREAM;
        } catch (IOException | SecurityException e) {
            return OCTET_STREAM;
        }
    }
}
