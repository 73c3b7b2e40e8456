package io.weir.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fat jar ({@code target/weir.jar}) as a child process, with its output captured. */
final class WeirProcess implements AutoCloseable {
  private static final Pattern API_PORT = Pattern.compile("api: REST listening on http://[^:]+:(\\d+)");
  private static final Pattern METRICS_PORT = Pattern.compile("metrics: Prometheus endpoint on http://[^:]+:(\\d+)");

  final Process process;
  final List<String> stdout = new CopyOnWriteArrayList<>();
  final List<String> stderr = new CopyOnWriteArrayList<>();
  private final Thread stdoutPump;
  private final Thread stderrPump;

  private WeirProcess(Process process) {
    this.process = process;
    stdoutPump = pump(process.getInputStream(), stdout);
    stderrPump = pump(process.getErrorStream(), stderr);
  }

  static Path jar() {
    String jar = System.getProperty("weir.jar", "target/weir.jar");
    return Path.of(jar).toAbsolutePath();
  }

  static WeirProcess start(Path workDir, String... args) throws IOException {
    return start(workDir, java.util.Map.of(), args);
  }

  /** With these environment variables (and no other WEIR_ ones). */
  static WeirProcess start(Path workDir, java.util.Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-jar", jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("WEIR_"));
    pb.environment().putAll(env);
    return new WeirProcess(pb.start());
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Thread pump(java.io.InputStream in, List<String> sink) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  sink.add(line);
                }
              } catch (IOException ignored) {
                // The process ended.
              }
            },
            "weir-child-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The API port from the startup log, or -1 while not logged yet. */
  int apiPort() {
    return port(API_PORT);
  }

  int metricsPort() {
    return port(METRICS_PORT);
  }

  private int port(Pattern pattern) {
    for (String line : stderr) {
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    return -1;
  }

  /**
   * Sends SIGTERM through the process handle. {@code Process.destroy()} would also close our ends
   * of the child's pipes, so everything it logs while shutting down would be lost.
   */
  void sigterm() {
    process.toHandle().destroy();
  }

  String log() {
    return String.join("\n", stderr);
  }

  /** Waits for exit and returns the exit code, or fails the test with the log. */
  int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("weir did not exit within " + seconds + " s; log:\n" + log());
    }
    // The process is gone: its pipes end, so the pumps finish reading what it wrote.
    stdoutPump.join(10_000);
    stderrPump.join(10_000);
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
