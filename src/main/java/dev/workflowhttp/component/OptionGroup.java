package dev.workflowhttp.component;

/** One concern's options ({@code @UriParams}): copied when a message header overrides one of them for an exchange. */
abstract class OptionGroup implements Cloneable {

    @SuppressWarnings("unchecked")
    <T extends OptionGroup> T copy() {
        try {
            return (T) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
