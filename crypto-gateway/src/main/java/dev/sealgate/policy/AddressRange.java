package dev.sealgate.policy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address range in CIDR notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}); a
 * single address without a prefix length is a range of one.
 */
public final class AddressRange {

    private final String text;
    private final BigInteger network;
    private final BigInteger mask;
    private final int addressLength;

    private AddressRange(String text, byte[] address, int prefix) {
        this.text = text;
        this.addressLength = address.length;
        int bits = address.length * 8;
        BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        this.mask = all.shiftRight(prefix).xor(all);
        this.network = new BigInteger(1, address).and(mask);
    }

    /**
     * Parses {@code address[/prefix]}; the address must be a literal, never a host name, so that
     * parsing never asks DNS.
     */
    public static AddressRange parse(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        if (!host.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("'" + cidr + "' is not an address range: write an IP address or a CIDR range such as 192.0.2.0/24");
        }
        byte[] address;
        try {
            address = InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + cidr + "' is not an address range: " + e.getMessage(), e);
        }
        int prefix = address.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length after '/'", e);
            }
            if (prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("'" + cidr + "' has prefix length " + prefix + ", allowed is 0 to " + address.length * 8);
            }
        }
        return new AddressRange(text, address, prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != addressLength) {
            return false;
        }
        return new BigInteger(1, bytes).and(mask).equals(network);
    }

    @Override
    public String toString() {
        return text;
    }
}
