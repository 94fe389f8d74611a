package dev.workflowhttp;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One part of a {@code multipart/form-data} request (a value of the {@code CamelWorkflowHttpMultipart} header) with
 * its file name and content type chosen by the route. A value given without it gets defaults: a {@code String} is a
 * plain field; a {@code byte[]} or {@code InputStream} is {@code application/octet-stream} without a file name; a
 * {@code File} or {@code Path} is sent under its own file name, with the content type its extension suggests.
 *
 * @param content     {@code String}, {@code byte[]}, {@code File}, {@code Path} or {@code InputStream}; files and
 *                    streams are sent as they are read, never held whole in memory
 * @param filename    the {@code filename} of the part's {@code Content-Disposition}, or null for none
 * @param contentType the part's {@code Content-Type}, or null for the default of its content
 */
public record FormPart(Object content, String filename, String contentType) {

    public FormPart {
        Objects.requireNonNull(content, "content");
        if (!(content instanceof String
                || content instanceof byte[]
                || content instanceof File
                || content instanceof Path
                || content instanceof InputStream)) {
            throw new IllegalArgumentException("A form part's content is a String, byte[], File, Path or InputStream, "
                    + "not " + content.getClass().getName());
        }
    }

    /** A file sent under its own name, with the content type its extension suggests. */
    public static FormPart file(Path file) {
        return new FormPart(file, null, null);
    }

    /** A file sent under its own name with this content type. */
    public static FormPart file(Path file, String contentType) {
        return new FormPart(file, null, contentType);
    }

    /** Content sent as a file of this name and content type. */
    public static FormPart of(Object content, String filename, String contentType) {
        return new FormPart(content, filename, contentType);
    }
}
