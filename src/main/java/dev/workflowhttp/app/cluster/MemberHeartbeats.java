package dev.workflowhttp.app.cluster;

import dev.workflowhttp.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live members of a file-lock cluster: each member keeps a heartbeat file of its own, {@code <root>/members/<id>},
 * rewritten at every look, and counts the files younger than the leader timeout. Camel's file lock cannot tell them:
 * only the leader writes its record, and a follower knows nobody but itself.
 * <p>
 * Ages are measured between file times, against this member's own file just rewritten, never against this machine's
 * clock: on a network file system the server stamps the files, and the members' clocks need not agree with it. A
 * member stopped cleanly removes its file; a killed one leaves it, and it ages out. Files far older than that (members
 * that never came back under their id) are removed by whoever looks; a member whose file was removed while it was
 * alive writes it again at its next look.
 */
final class MemberHeartbeats implements LiveMembers.Source {

    private static final Logger LOG = LoggerFactory.getLogger(MemberHeartbeats.class);

    private final Path directory;
    private final Path own;
    private final Duration liveFor;
    private final Duration forgetAfter;

    /**
     * @param root     the directory every member shares
     * @param memberId this member's id, the name of its file
     * @param liveFor  how long a member counts after its last heartbeat: the leader timeout the file lock uses
     */
    MemberHeartbeats(Path root, String memberId, Duration liveFor) {
        this.directory = root.resolve(LiveMembers.NAMESPACE);
        this.own = directory.resolve(fileName(memberId));
        this.liveFor = liveFor;
        this.forgetAfter = liveFor.multipliedBy(10);
    }

    /** A member id as a file name: characters a file system may refuse are replaced. */
    static String fileName(String memberId) {
        String name = memberId.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.startsWith(".") ? "_" + name.substring(1) : name;
    }

    @Override
    public Set<String> live() throws IOException {
        Files.createDirectories(directory);
        // content, not only a time: writing is what makes the file system stamp the file with its own clock
        Files.writeString(own, own.getFileName() + "\n", StandardCharsets.UTF_8);
        FileTime now = Files.getLastModifiedTime(own);
        Set<String> live = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                FileTime beat;
                try {
                    beat = Files.getLastModifiedTime(file);
                } catch (NoSuchFileException e) {
                    continue; // its member stopped while this one looked
                }
                Duration age = Duration.between(beat.toInstant(), now.toInstant());
                if (age.compareTo(liveFor) < 0) {
                    live.add(file.getFileName().toString());
                } else if (age.compareTo(forgetAfter) > 0) {
                    Files.deleteIfExists(file);
                }
            }
        }
        return live;
    }

    @Override
    public void leave() {
        try {
            Files.deleteIfExists(own);
        } catch (IOException e) {
            LOG.warn(
                    "Cannot remove this member's heartbeat {} ({}): the others count it for {} more",
                    own,
                    e.toString(),
                    Durations.format(liveFor));
        }
    }

    @Override
    public String describe() {
        return "heartbeat files in " + directory.toAbsolutePath() + ", a member counted until its file is "
                + Durations.format(liveFor) + " old";
    }
}
