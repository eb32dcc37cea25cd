package dev.dockscale.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The CPU a machine used over a window of time: the whole host's (from {@code /proc/stat}) and each
 * group of processes' (from {@code /proc/[pid]/stat}): this process ("self"), dockerd, containerd
 * with its shims, docker-proxy, nginx. In % of one core.
 */
record CpuWindow(double host, Map<String, Double> groups) {

  /** What the watching goal counts: dockscale (this process), dockerd and containerd. */
  static final Set<String> WATCHERS = Set.of("self", "dockerd", "containerd");

  /** Linux's USER_HZ: /proc counts a process's CPU time in hundredths of a second. */
  private static final int TICKS_PER_SECOND = 100;

  /** Sleeps {@code seconds} and returns what the host and the processes used meanwhile. */
  static CpuWindow measure(int seconds) throws IOException, InterruptedException {
    long[] hostBefore = procStat();
    Map<ProcStat, Long> before = processTicks();
    Thread.sleep(seconds * 1000L);
    long[] hostAfter = procStat();
    Map<ProcStat, Long> after = processTicks();
    long busy = hostAfter[0] - hostBefore[0];
    long total = hostAfter[1] - hostBefore[1];
    // The jiffies count every core's time: busy/total is the share of all cores.
    int cores = Runtime.getRuntime().availableProcessors();
    double host = total <= 0 ? 0 : (double) busy / total * cores * 100;
    // Per process, then by group: a process that ended during the window takes with it only what
    // it used in it, which /proc no longer shows (a few ticks at most), not its whole life's.
    Map<String, Double> groups = new HashMap<>();
    after.forEach(
        (stat, ticks) ->
            groups.merge(
                stat.group(),
                (ticks - before.getOrDefault(stat, 0L)) * 100.0 / TICKS_PER_SECOND / seconds,
                Double::sum));
    return new CpuWindow(host, groups);
  }

  /** One process, told apart from a later one with the same pid by when it started. */
  private record ProcStat(long pid, long startTicks, String group) {}

  /** The share of one group of processes, 0 when none ran. */
  double of(String group) {
    return Math.max(0, groups.getOrDefault(group, 0.0));
  }

  /** dockscale, dockerd and containerd together: what the watching goal counts. */
  double watchers() {
    return WATCHERS.stream().mapToDouble(this::of).sum();
  }

  /**
   * CPU ticks used so far by each process, grouped as this process ("self"), containerd with its
   * shims, and every other process by its name.
   */
  private static Map<ProcStat, Long> processTicks() throws IOException {
    Map<ProcStat, Long> ticks = new HashMap<>();
    String self = Long.toString(ProcessHandle.current().pid());
    try (var dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path dir : dirs) {
        String stat;
        try {
          stat = Files.readString(dir.resolve("stat"));
        } catch (IOException gone) {
          continue;
        }
        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        // Fields after the name, from the state (field 3 of proc(5)): utime 14, stime 15, start 22.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        String pid = dir.getFileName().toString();
        String group =
            pid.equals(self) ? "self" : comm.startsWith("containerd") ? "containerd" : comm;
        ticks.put(
            new ProcStat(Long.parseLong(pid), Long.parseLong(f[19]), group),
            Long.parseLong(f[11]) + Long.parseLong(f[12]));
      }
    }
    return ticks;
  }

  /** Busy and total jiffies of all CPUs. */
  private static long[] procStat() throws IOException {
    String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
    String[] f = cpu.trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < f.length; i++) {
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
    return new long[] {total - idle, total};
  }
}
