package dev.stoic.fleet;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An embedded Hazelcast cluster of real members in this JVM: TCP/IP join on 127.0.0.1 between
 * ports chosen free, multicast off, a cluster name of its own (so that parallel builds never
 * join each other), shut down by {@link #close()}.
 */
final class HazelcastCluster implements AutoCloseable {
  private final String name = "stoic-fleet-" + UUID.randomUUID();
  private final List<Integer> ports = new ArrayList<>();
  private final List<HazelcastInstance> members = new ArrayList<>();

  HazelcastCluster(int size) throws IOException {
    int base = freePorts(size);
    for (int i = 0; i < size; i++) ports.add(base + i);
    for (int i = 0; i < size; i++) members.add(Hazelcast.newHazelcastInstance(config(i)));
  }

  private Config config(int index) {
    Config config = new Config();
    config.setClusterName(name);
    config.setInstanceName(name + "-" + index);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    config.getJetConfig().setEnabled(false);
    config.getNetworkConfig().setPort(ports.get(index)).setPortAutoIncrement(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (int port : ports) join.getTcpIpConfig().addMember("127.0.0.1:" + port);
    return config;
  }

  HazelcastInstance member(int index) {
    return members.get(index);
  }

  int size() {
    return members.size();
  }

  /** Shuts member {@code index} down; its data stays on the others' backups. */
  void stop(int index) {
    members.get(index).shutdown();
  }

  /** Starts member {@code index} again on its port. */
  void restart(int index) {
    members.set(index, Hazelcast.newHazelcastInstance(config(index)));
  }

  /**
   * The first of {@code count} consecutive ports free now, below Linux's ephemeral range
   * (32768 and up): a member's outgoing connections, made before the others listen, take their
   * local ports from that range and could take a port chosen there.
   */
  private static int freePorts(int count) throws IOException {
    java.util.SplittableRandom random = new java.util.SplittableRandom();
    for (int tries = 0; tries < 200; tries++) {
      int base = 20_000 + random.nextInt(12_000);
      boolean free = true;
      for (int i = 0; i < count && free; i++) {
        try (ServerSocket socket =
            new ServerSocket(base + i, 1, InetAddress.getLoopbackAddress())) {
          socket.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) return base;
    }
    throw new IOException("no " + count + " consecutive free ports in 20000-32000");
  }

  @Override
  public void close() {
    for (HazelcastInstance member : members) {
      if (member.getLifecycleService().isRunning()) member.getLifecycleService().terminate();
    }
  }
}
