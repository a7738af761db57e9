import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Measures what the machine charges for filling new page-cache memory, beside a benchmark run.
 *
 * <pre>java bench/tools/PageCacheProbe.java DIR OUTFILE WATCHED_PID</pre>
 *
 * Every two seconds it appends 32 MiB to a new file in DIR in writes of 15,531 bytes and logs its
 * own CPU time per MiB. That is the size of a full producer batch of 1 KiB records, written as
 * both brokers append it: the writes are not multiples of the page size. The machine sometimes
 * makes every way of filling new page-cache memory several times dearer, and this kind shows it
 * most reliably. A step of the comparison that ran while the probe's cost was well above its usual
 * level ran on a machine that made both brokers' appends dearer. Files are deleted a minute after
 * they were written (as the brokers delete a benchmark round's data); the probe stops, and
 * removes what it wrote, when the watched process exits.
 *
 * <p>After each file it also fills 32 MiB of newly allocated native memory and frees it, and logs
 * that CPU time per MiB too ({@code anon_cpu_us_per_mib}): no file system and no page cache, only
 * the machine handing out fresh memory. When both figures rise in the same seconds, what became
 * dear is memory itself, not the file system's work.
 */
public final class PageCacheProbe {

    private static final int WRITE_BYTES = 15_531;
    private static final int FILE_MIB = 32;
    private static final long FILE_BYTES = FILE_MIB * 1024L * 1024L;
    private static final long INTERVAL_MILLIS = 2_000;
    private static final long KEEP_MILLIS = 60_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private record Written(Path file, long atMillis) {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java PageCacheProbe.java DIR OUTFILE WATCHED_PID");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        Path out = Path.of(args[1]);
        ProcessHandle watched = ProcessHandle.of(Long.parseLong(args[2]))
                .orElseThrow(() -> new IllegalArgumentException("no process " + args[2]));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ByteBuffer block = ByteBuffer.allocateDirect(WRITE_BYTES);
        while (block.hasRemaining()) {
            block.put((byte) 'p');
        }
        Deque<Written> written = new ArrayDeque<>();
        Files.writeString(out, "");
        try {
            for (int n = 0; watched.isAlive(); n++) {
                Path file = dir.resolve("probe-%05d".formatted(n));
                long wall0 = System.nanoTime();
                long cpuMicrosPerMib = cpuMicrosPerMib(threads, () -> fill(file, block));
                long wallMicrosPerMib = (System.nanoTime() - wall0) / 1_000 / FILE_MIB;
                long anonMicrosPerMib = cpuMicrosPerMib(threads, PageCacheProbe::touchFreshMemory);
                written.addLast(new Written(file, System.currentTimeMillis()));
                Files.writeString(out, "%s cpu_us_per_mib=%d wall_us_per_mib=%d anon_cpu_us_per_mib=%d%n".formatted(
                        LocalTime.now().format(TIME), cpuMicrosPerMib, wallMicrosPerMib, anonMicrosPerMib),
                        StandardOpenOption.APPEND);
                while (!written.isEmpty()
                        && written.peekFirst().atMillis() + KEEP_MILLIS <= System.currentTimeMillis()) {
                    Files.deleteIfExists(written.removeFirst().file());
                }
                Thread.sleep(INTERVAL_MILLIS);
            }
        } finally {
            for (Written w : written) {
                Files.deleteIfExists(w.file());
            }
        }
    }

    /** This thread's CPU time per MiB of a 32 MiB piece of work. */
    private static long cpuMicrosPerMib(ThreadMXBean threads, Runnable work) {
        long start = threads.getCurrentThreadCpuTime();
        work.run();
        return (threads.getCurrentThreadCpuTime() - start) / 1_000 / FILE_MIB;
    }

    /** Allocated outside the heap and freed at once, so every run asks the machine for memory anew. */
    private static void touchFreshMemory() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(FILE_BYTES, 4096);
            memory.fill((byte) 'p');
        }
    }

    private static void fill(Path file, ByteBuffer block) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            long position = 0;
            while (position < FILE_BYTES) {
                block.rewind();
                while (block.hasRemaining()) {
                    position += channel.write(block, position);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
