/** Implementation details of the OkHttp adapter: not API, may change in any release. */
package dev.stoic.okhttp.internal;
