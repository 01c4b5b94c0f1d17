/**
 * Stoic for OkHttp: retries as a {@link dev.stoic.RetryPolicy} says, through an application
 * interceptor or a non-blocking {@link okhttp3.Call.Factory} decorator.
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(StoicInterceptor.create(policy))
 *     .build();
 * Call.Factory calls = StoicCallFactory.wrap(plainClient, policy);   // async waits hold no thread
 * }</pre>
 *
 * <p>Both translate only: the policy decides and Stoic's one executor loops, waits, emits events
 * and closes discarded responses. Compiled against OkHttp 5.x ({@code okhttp-jvm}); runs on OkHttp
 * 4.12 as well. {@code dev.stoic.okhttp.internal} is not API.
 */
package dev.stoic.okhttp;
