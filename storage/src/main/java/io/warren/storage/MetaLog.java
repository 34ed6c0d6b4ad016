package io.warren.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The metadata file: an append-only log of put/delete records, replayed at open, rewritten as a snapshot
 * when it holds mostly dead records.
 *
 * <pre>
 * file   = "WRNMETA1" record*
 * record = length i32 | crc32c(payload) i32 | payload          (little-endian)
 * payload= op u8 (1 put, 2 delete) | kind | vhost | name | value (put only: the rest of the payload)
 * string = length u16 | UTF-8 bytes
 * </pre>
 * Appends are forced with {@code fdatasync} before callers hear back. Only the tail can be torn (records
 * are appended and synced in order), so replay stops at the first record whose length or checksum is
 * wrong, cuts the file there and logs how much it dropped. Compaction writes a snapshot to a temporary
 * file, syncs it, renames it over the log and syncs the directory: at every instant either the old or the
 * new file is complete. Single-threaded: the metadata writer thread owns it after open.
 */
final class MetaLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetaLog.class);
    private static final byte[] MAGIC = "WRNMETA1".getBytes(StandardCharsets.US_ASCII);
    static final String FILE = "meta.log";
    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    private static final int MAX_RECORD = 64 << 20;

    private final Path dir;
    private final Path file;
    private final Map<MetaKey, byte[]> entries = new LinkedHashMap<>();
    private final CRC32C crc = new CRC32C();
    private FileChannel channel;
    private long size;
    private long liveBytes;

    private MetaLog(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
    }

    static MetaLog open(Path dir) throws IOException {
        Files.createDirectories(dir);
        MetaLog m = new MetaLog(dir);
        Files.deleteIfExists(dir.resolve(FILE + ".tmp")); // a compaction that did not finish
        if (!Files.exists(m.file)) m.writeSnapshot();
        m.replay();
        return m;
    }

    Map<MetaKey, byte[]> entries() {
        return entries;
    }

    private void replay() throws IOException {
        if (channel != null) channel.close();
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long fileSize = channel.size();
        ByteBuffer all = ByteBuffer.allocate((int) Math.min(fileSize, Integer.MAX_VALUE - 8)).order(ByteOrder.LITTLE_ENDIAN);
        while (all.hasRemaining() && channel.read(all, all.position()) > 0) {
            // read everything
        }
        all.flip();
        byte[] magic = new byte[MAGIC.length];
        if (all.remaining() < MAGIC.length) throw new IOException(file + " is not a Warren metadata file");
        all.get(magic);
        if (!Arrays.equals(magic, MAGIC)) throw new IOException(file + " is not a Warren metadata file");
        long good = all.position();
        while (all.remaining() >= 8) {
            int len = all.getInt();
            int sum = all.getInt();
            if (len < 1 || len > MAX_RECORD || len > all.remaining()) break;
            byte[] payload = new byte[len];
            all.get(payload);
            crc.reset();
            crc.update(payload);
            if ((int) crc.getValue() != sum) break;
            if (!apply(payload)) break;
            good = all.position();
        }
        if (good < fileSize) {
            log.warn("{}: dropped a damaged tail of {} bytes (crash during a write); {} definitions kept",
                    file, fileSize - good, entries.size());
            channel.truncate(good);
            channel.force(true);
        }
        size = good;
        channel.position(size);
    }

    private boolean apply(byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte op = b.get();
            MetaKey k = new MetaKey(str(b), str(b), str(b));
            if (op == PUT) {
                byte[] v = new byte[b.remaining()];
                b.get(v);
                forget(k);
                entries.put(k, v);
                liveBytes += payload.length + 8;
            } else if (op == DELETE) {
                forget(k);
            } else {
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void forget(MetaKey k) {
        byte[] old = entries.remove(k);
        if (old != null) liveBytes -= encodedSize(k, old);
    }

    private static String str(ByteBuffer b) {
        int n = b.getShort() & 0xffff;
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static long encodedSize(MetaKey k, byte[] v) {
        return 8 + 1 + 6 + utf8(k.kind()).length + utf8(k.vhost()).length + utf8(k.name()).length + v.length;
    }

    private static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xffff) throw new IllegalArgumentException("name longer than 65535 bytes");
        return b;
    }

    /** Appends without syncing; {@link #sync()} makes it durable. */
    void put(MetaKey k, byte[] v) throws IOException {
        append(encode(PUT, k, v));
        forget(k);
        entries.put(k, v.clone());
        liveBytes += encodedSize(k, v);
    }

    void delete(MetaKey k) throws IOException {
        append(encode(DELETE, k, null));
        forget(k);
    }

    private ByteBuffer encode(byte op, MetaKey k, byte[] v) {
        byte[] kind = utf8(k.kind());
        byte[] vhost = utf8(k.vhost());
        byte[] name = utf8(k.name());
        int len = 1 + 6 + kind.length + vhost.length + name.length + (v == null ? 0 : v.length);
        if (len > MAX_RECORD) throw new IllegalArgumentException("definition larger than " + MAX_RECORD + " bytes");
        ByteBuffer b = ByteBuffer.allocate(8 + len).order(ByteOrder.LITTLE_ENDIAN);
        b.position(8);
        b.put(op);
        b.putShort((short) kind.length).put(kind);
        b.putShort((short) vhost.length).put(vhost);
        b.putShort((short) name.length).put(name);
        if (v != null) b.put(v);
        crc.reset();
        crc.update(b.array(), 8, len);
        b.putInt(0, len).putInt(4, (int) crc.getValue());
        b.position(0);
        return b;
    }

    private void append(ByteBuffer b) throws IOException {
        try {
            while (b.hasRemaining()) channel.write(b);
            size = channel.position();
        } catch (IOException e) {
            // Cut back to the last whole record so a half-written one never sits before later appends.
            channel.truncate(size);
            channel.position(size);
            throw e;
        }
    }

    void sync() throws IOException {
        channel.force(false);
    }

    /** Rewrites the log as a snapshot when most of it is dead records. */
    void compactIfWorthIt() throws IOException {
        if (size > (1 << 20) && size > 4 * liveBytes) {
            long before = size;
            writeSnapshot();
            log.info("{}: compacted from {} to {} bytes", file, before, size);
        }
    }

    private void writeSnapshot() throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(MAGIC));
            for (Map.Entry<MetaKey, byte[]> e : entries.entrySet()) {
                ByteBuffer b = encode(PUT, e.getKey(), e.getValue());
                while (b.hasRemaining()) out.write(b);
            }
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
        if (channel != null) channel.close();
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        size = channel.size();
        channel.position(size);
    }

    @Override
    public void close() throws IOException {
        if (channel != null) channel.close();
    }
}
