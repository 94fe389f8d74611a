package dev.workflowhttp;

/**
 * One attempt of a step: how it ended and where its time went.
 *
 * @param number     1 for the first attempt
 * @param statusCode the response status, or null when no response came
 * @param error      the error's simple class name, or null
 * @param phase      the phase the attempt ended in
 * @param timing     connection wait, connect, headers, body
 */
public record AttemptRecord(int number, Integer statusCode, String error, Phase phase, CallTiming timing) {

    @Override
    public String toString() {
        return "attempt " + number + ": " + (statusCode != null ? "HTTP " + statusCode : error) + " in " + phase + "; "
                + timing;
    }
}
