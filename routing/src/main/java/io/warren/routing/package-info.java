/** Exchange types and binding matchers as plain Java: no Netty, no threads. */
package io.warren.routing;
