package dev.stoic.reliability.nginx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A real nginx speaking HTTP/2 over TLS on a loopback port, proxying to a backend, with a master
 * process so that {@link #reload()} is nginx's own graceful reload: the old worker sends {@code
 * GOAWAY} on its connections and finishes the streams it took. {@code keepalive_requests} ends
 * each connection with a {@code GOAWAY} after that many streams, and {@code
 * http2_max_concurrent_streams} refuses ({@code RST_STREAM REFUSED_STREAM}) streams a client opens
 * beyond it. The certificate is made for the test by the JDK's keytool.
 */
final class NginxH2 implements AutoCloseable {
  private static final String TEMPLATE = String.join("\n",
      "# Test-only configuration, written by dev.stoic.reliability.nginx.NginxH2.",
      "%USER%",
      "worker_processes 1;",
      "pid %DIR%/nginx.pid;",
      "error_log %DIR%/logs/error.log warn;",
      "events { worker_connections 1024; }",
      "http {",
      "  access_log off;",
      Nginx.TEMP_PATHS,
      "  keepalive_requests %KEEPALIVE%;",
      "  http2_max_concurrent_streams %STREAMS%;",
      "  server {",
      "    listen 127.0.0.1:%PORT% ssl http2;",
      "    ssl_certificate %DIR%/cert.pem;",
      "    ssl_certificate_key %DIR%/key.pem;",
      "    location / {",
      "      proxy_pass http://127.0.0.1:%BACKEND%;",
      "      proxy_http_version 1.1;",
      "      proxy_set_header Connection \"\";",
      "    }",
      "  }",
      "}",
      "");

  final int port;
  final Path dir;
  final SSLContext trust;
  final X509TrustManager trustManager;
  private final Process process;

  private NginxH2(int port, Path dir, Process process, SSLContext trust, X509TrustManager tm) {
    this.port = port;
    this.dir = dir;
    this.process = process;
    this.trust = trust;
    this.trustManager = tm;
  }

  static NginxH2 start(int backendPort, int keepaliveRequests, int maxStreams)
      throws IOException, InterruptedException, GeneralSecurityException {
    Path dir = Files.createTempDirectory("stoic-nginx-h2-");
    for (String sub : List.of("logs", "temp")) Files.createDirectories(dir.resolve(sub));
    X509TrustManager trustManager = certificate(dir);
    SSLContext trust = SSLContext.getInstance("TLS");
    trust.init(null, new javax.net.ssl.TrustManager[] {trustManager}, null);
    int port = Nginx.freePort();
    boolean root = "root".equals(System.getProperty("user.name"));
    String conf = TEMPLATE
        .replace("%USER%", root ? "user root;" : "")
        .replace("%DIR%", dir.toString())
        .replace("%KEEPALIVE%", Integer.toString(keepaliveRequests))
        .replace("%STREAMS%", Integer.toString(maxStreams))
        .replace("%PORT%", Integer.toString(port))
        .replace("%BACKEND%", Integer.toString(backendPort));
    Files.writeString(dir.resolve("nginx.conf"), conf, StandardCharsets.UTF_8);
    Process process = Nginx.launch(dir);
    NginxH2 nginx = new NginxH2(port, dir, process, trust, trustManager);
    Nginx.awaitListening(process, port, dir, nginx::close);
    return nginx;
  }

  /** A key pair and self-signed certificate for 127.0.0.1, as PEM files for nginx. */
  private static X509TrustManager certificate(Path dir)
      throws IOException, InterruptedException, GeneralSecurityException {
    Path store = dir.resolve("h2.p12");
    char[] password = "changeit".toCharArray();
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process gen = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "h2",
        "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1", "-ext",
        "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", store.toString(), "-storetype",
        "PKCS12", "-storepass", new String(password), "-keypass", new String(password))
        .redirectErrorStream(true).start();
    String output = new String(gen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (gen.waitFor() != 0) throw new IOException("keytool failed: " + output);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, password);
    }
    PrivateKey key = (PrivateKey) keys.getKey("h2", password);
    Certificate cert = keys.getCertificate("h2");
    Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
    Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", cert.getEncoded()));
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry("h2", cert);
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    return (X509TrustManager) factory.getTrustManagers()[0];
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  String url(String path) {
    return "https://127.0.0.1:" + port + path;
  }

  /** nginx's graceful reload (SIGHUP to the master): the old worker says GOAWAY. */
  void reload() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid()))
        .redirectErrorStream(true).start();
    kill.getInputStream().readAllBytes();
    kill.waitFor();
  }

  @Override
  public void close() {
    // The master's workers end with it; a worker of an old generation may linger a moment.
    Nginx.stop(process, dir);
  }
}
