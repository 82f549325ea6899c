package dev.sealgate.addin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The rules Microsoft documents for an Outlook add-in-only (XML) manifest, checked without Microsoft's XSDs,
 * which no package registry reachable from here carries (docs/adr/0205). Each rule names where it is
 * written: the element sequences and types of [MS-OWEMXML] (Office Web Extensibility Manifest Format,
 * sections 2.2 to 2.4), and the manifest reference on learn.microsoft.com ({@code /javascript/api/manifest/}).
 * It is not a schema validator and claims no more than these rules: an element it does not know is
 * reported, never passed over.
 */
final class XmlManifestRules {

    static final String APP = "http://schemas.microsoft.com/office/appforoffice/1.1";
    static final String VO10 = "http://schemas.microsoft.com/office/mailappversionoverrides";
    static final String VO11 = "http://schemas.microsoft.com/office/mailappversionoverrides/1.1";
    static final String BT = "http://schemas.microsoft.com/office/officeappbasictypes/1.0";
    private static final String XSI = XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI;

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** [MS-OWEMXML] 2.3.8 Version: one to four parts, each 0 to 99999 without leading zeros */
    private static final Pattern VERSION = Pattern.compile("(0|[1-9][0-9]{0,4})(\\.(0|[1-9][0-9]{0,4})){0,3}");
    /** [MS-OWEMXML] 2.3.7 CultureName, e.g. en-US */
    private static final Pattern CULTURE = Pattern.compile("[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*");
    private static final Set<String> PERMISSIONS = Set.of("Restricted", "ReadItem", "ReadWriteItem", "ReadWriteMailbox");
    /** LaunchEvent SendMode (manifest reference, LaunchEvent; [MS-OWEMXML] LaunchEventSendMode) */
    private static final Set<String> SEND_MODES = Set.of("PromptUser", "SoftBlock", "Block");
    /** Outlook's command icons: 16, 32 and 80 pixels (manifest reference, Icon) */
    private static final Set<String> ICON_SIZES = Set.of("16", "32", "80");

    private final List<String> violations = new ArrayList<>();

    private XmlManifestRules() {
    }

    /** @return what breaks a rule, one line each, with the element's path; empty: every rule holds */
    static List<String> check(Document manifest) {
        XmlManifestRules rules = new XmlManifestRules();
        rules.officeApp(manifest.getDocumentElement());
        return rules.violations;
    }

    /** One child in a sequence: its namespace, name, and how often it may appear. */
    private record Item(String namespace, String name, int min, int max) {
    }

    private static Item one(String ns, String name) {
        return new Item(ns, name, 1, 1);
    }

    private static Item optional(String ns, String name) {
        return new Item(ns, name, 0, 1);
    }

    private static Item many(String ns, String name, int min) {
        return new Item(ns, name, min, Integer.MAX_VALUE);
    }

    private void officeApp(Element root) {
        if (!is(root, APP, "OfficeApp")) {
            fail(root, "the root must be OfficeApp in " + APP);
            return;
        }
        expectType(root, "MailApp");
        // [MS-OWEMXML] OfficeApp, extended by MailApp: the elements in exactly this order
        sequence(root, List.of(one(APP, "Id"), optional(APP, "AlternateId"), one(APP, "Version"), one(APP, "ProviderName"),
                one(APP, "DefaultLocale"), one(APP, "DisplayName"), one(APP, "Description"), optional(APP, "IconUrl"),
                optional(APP, "HighResolutionIconUrl"), optional(APP, "SupportUrl"), optional(APP, "AppDomains"),
                optional(APP, "Hosts"), one(APP, "Requirements"), one(APP, "FormSettings"), optional(APP, "Permissions"),
                one(APP, "Rule"), optional(APP, "DisableEntityHighlighting"), optional(VO10, "VersionOverrides")));
        text(root, APP, "Id", UUID, "a UUID");
        text(root, APP, "Version", VERSION, "one to four numbers of at most five digits, separated by dots");
        text(root, APP, "DefaultLocale", CULTURE, "a culture name such as en-US");
        child(root, APP, "ProviderName").ifPresent(e -> length(e, e.getTextContent(), 125));
        child(root, APP, "DisplayName").ifPresent(e -> localeAware(e, 125));
        child(root, APP, "Description").ifPresent(e -> localeAware(e, 250));
        for (String url : List.of("IconUrl", "HighResolutionIconUrl", "SupportUrl")) {
            child(root, APP, url).ifPresent(e -> localeAware(e, 2048));
        }
        child(root, APP, "Permissions").ifPresent(e -> {
            if (!PERMISSIONS.contains(e.getTextContent())) {
                fail(e, "must be one of " + PERMISSIONS);
            }
        });
        child(root, APP, "Hosts").ifPresent(hosts -> {
            sequence(hosts, List.of(many(APP, "Host", 1)));
            children(hosts).forEach(h -> {
                if (!"Mailbox".equals(h.getAttribute("Name"))) {
                    fail(h, "a mail add-in's host is Name=\"Mailbox\"");
                }
            });
        });
        child(root, APP, "VersionOverrides").ifPresent(e -> fail(e, "VersionOverrides belongs to " + VO10 + ", not " + APP));
        child(root, VO10, "VersionOverrides").ifPresent(this::versionOverrides10);
        everyElementInAKnownNamespace(root);
    }

    private void versionOverrides10(Element overrides) {
        expectType(overrides, "VersionOverridesV1_0");
        // [MS-OWEMXML] VersionOverridesV1_0
        sequence(overrides, List.of(optional(VO10, "Description"), optional(VO10, "Requirements"), one(VO10, "Hosts"),
                optional(VO10, "Resources"), optional(VO11, "VersionOverrides")));
        Resources resources = resources(overrides, VO10);
        hosts(overrides, VO10, resources, false);
        child(overrides, VO11, "VersionOverrides").ifPresent(this::versionOverrides11);
        onlyIn(overrides, true, Set.of(VO10, BT));
    }

    private void versionOverrides11(Element overrides) {
        expectType(overrides, "VersionOverridesV1_1");
        // [MS-OWEMXML] VersionOverridesV1_1; WebApplicationInfo after Resources
        sequence(overrides, List.of(optional(VO11, "Description"), optional(VO11, "Requirements"), one(VO11, "Hosts"),
                optional(VO11, "Resources"), optional(VO11, "WebApplicationInfo"), optional(VO11, "EquivalentAddins"),
                optional(VO11, "ExtendedPermissions")));
        Resources resources = resources(overrides, VO11);
        hosts(overrides, VO11, resources, true);
        child(overrides, VO11, "WebApplicationInfo").ifPresent(this::webApplicationInfo);
        onlyIn(overrides, false, Set.of(VO11, BT));
        // OnMessageSend needs Mailbox 1.12 (manifest reference, LaunchEvent; "Supported events" of event-based activation)
        boolean onSend = descendants(overrides).stream().anyMatch(e -> is(e, VO11, "LaunchEvent") && e.getAttribute("Type").equals("OnMessageSend"));
        if (onSend) {
            String min = child(overrides, VO11, "Requirements").flatMap(r -> child(r, BT, "Sets")).map(s -> s.getAttribute("DefaultMinVersion")).orElse("");
            if (!atLeast(min, 1, 12)) {
                fail(overrides, "OnMessageSend needs Requirements/bt:Sets DefaultMinVersion of Mailbox 1.12 or later, was \"" + min + "\"");
            }
        }
    }

    private void hosts(Element overrides, String ns, Resources resources, boolean v11) {
        child(overrides, ns, "Hosts").ifPresent(hosts -> {
            sequence(hosts, List.of(many(ns, "Host", 1)));
            for (Element host : children(hosts)) {
                expectType(host, "MailHost");
                // [MS-OWEMXML] MailHost: Runtimes only in 1.1
                sequence(host, v11 ? List.of(optional(ns, "Runtimes"), optional(ns, "DesktopFormFactor"), optional(ns, "MobileFormFactor"))
                        : List.of(one(ns, "DesktopFormFactor"), optional(ns, "MobileFormFactor")));
                Set<String> runtimes = new HashSet<>();
                child(host, ns, "Runtimes").ifPresent(r -> {
                    sequence(r, List.of(many(ns, "Runtime", 1)));
                    for (Element runtime : children(r)) {
                        resources.url(runtime);
                        runtimes.add(runtime.getAttribute("resid"));
                        for (Element override : children(runtime)) {
                            if (!is(override, ns, "Override")) {
                                fail(override, "a Runtime holds only Override elements");
                            } else if (!override.getAttribute("type").equals("javascript")) {
                                fail(override, "type must be \"javascript\"");
                            } else {
                                resources.url(override);
                            }
                        }
                    }
                });
                for (String formFactor : List.of("DesktopFormFactor", "MobileFormFactor")) {
                    child(host, ns, formFactor).ifPresent(f -> formFactor(f, ns, resources, v11, runtimes));
                }
            }
        });
    }

    private void formFactor(Element formFactor, String ns, Resources resources, boolean v11, Set<String> runtimes) {
        sequence(formFactor, List.of(optional(ns, "FunctionFile"), many(ns, "ExtensionPoint", 1), optional(ns, "SupportsSharedFolders")));
        child(formFactor, ns, "FunctionFile").ifPresent(resources::url);
        Set<String> ids = new HashSet<>();
        for (Element point : children(formFactor)) {
            if (!is(point, ns, "ExtensionPoint")) {
                continue;
            }
            String type = point.getAttributeNS(XSI, "type");
            if (type.equals("LaunchEvent")) {
                if (!v11) {
                    fail(point, "the LaunchEvent extension point exists only in VersionOverrides 1.1");
                }
                launchEvent(point, ns, resources, runtimes);
            } else if (type.equals("MessageComposeCommandSurface") || type.equals("MessageReadCommandSurface")) {
                sequence(point, List.of(many(ns, "OfficeTab", 0), optional(ns, "CustomTab")));
                for (Element group : descendants(point)) {
                    if (is(group, ns, "Group") || is(group, ns, "Control")) {
                        String id = group.getAttribute("id");
                        if (id.isEmpty() || id.length() > 125) {
                            fail(group, "id is required and at most 125 characters");
                        } else if (!ids.add(id)) {
                            fail(group, "id \"" + id + "\" is not unique");
                        }
                    }
                    if (is(group, ns, "Label") || is(group, ns, "Title")) {
                        resources.shortString(group);
                    } else if (is(group, ns, "Description")) {
                        resources.longString(group);
                    } else if (is(group, ns, "SourceLocation")) {
                        resources.url(group);
                    } else if (is(group, ns, "Icon")) {
                        Set<String> sizes = new HashSet<>();
                        for (Element image : children(group)) {
                            resources.image(image);
                            sizes.add(image.getAttribute("size"));
                        }
                        if (!sizes.containsAll(ICON_SIZES)) {
                            fail(group, "Outlook needs images of sizes " + ICON_SIZES + ", has " + sizes);
                        }
                    }
                }
            } else {
                fail(point, "extension point type \"" + type + "\" is not one this check knows");
            }
        }
    }

    /** Manifest reference, LaunchEvent and LaunchEvents: LaunchEvents, then the SourceLocation of the runtime. */
    private void launchEvent(Element point, String ns, Resources resources, Set<String> runtimes) {
        sequence(point, List.of(one(ns, "LaunchEvents"), one(ns, "SourceLocation")));
        child(point, ns, "LaunchEvents").ifPresent(events -> {
            sequence(events, List.of(many(ns, "LaunchEvent", 1)));
            for (Element event : children(events)) {
                if (event.getAttribute("Type").isEmpty() || event.getAttribute("Type").length() > 125) {
                    fail(event, "Type is required and at most 125 characters");
                }
                if (event.getAttribute("FunctionName").isEmpty() || event.getAttribute("FunctionName").length() > 250) {
                    fail(event, "FunctionName is required and at most 250 characters");
                }
                if (event.hasAttribute("SendMode") && !SEND_MODES.contains(event.getAttribute("SendMode"))) {
                    fail(event, "SendMode must be one of " + SEND_MODES);
                }
            }
        });
        child(point, ns, "SourceLocation").ifPresent(source -> {
            resources.url(source);
            if (!runtimes.contains(source.getAttribute("resid"))) {
                fail(source, "resid \"" + source.getAttribute("resid") + "\" must be the resid of a Runtime of the same host");
            }
        });
    }

    /** Manifest reference, WebApplicationInfo: Id (the app registration's client ID), Resource, Scopes. */
    private void webApplicationInfo(Element info) {
        sequence(info, List.of(one(VO11, "Id"), optional(VO11, "Resource"), one(VO11, "Scopes"), optional(VO11, "Authorizations")));
        text(info, VO11, "Id", UUID, "the application (client) ID, a UUID");
        child(info, VO11, "Resource").ifPresent(r -> {
            if (!r.getTextContent().startsWith("api://")) {
                fail(r, "the application ID URI, api://...");
            }
        });
        child(info, VO11, "Scopes").ifPresent(s -> sequence(s, List.of(many(VO11, "Scope", 1))));
    }

    /** The resources of one VersionOverrides, and the references to them ({@code resid}, at most 32 characters). */
    private final class Resources {
        private final Map<String, Map<String, Element>> byKind = new HashMap<>();

        void add(String kind, Element element) {
            String id = element.getAttribute("id");
            if (id.isEmpty() || id.length() > 32) {
                fail(element, "id is required and at most 32 characters");
            }
            if (byKind.computeIfAbsent(kind, k -> new HashMap<>()).put(id, element) != null) {
                fail(element, "id \"" + id + "\" is not unique among " + kind);
            }
        }

        private void reference(Element element, String kind) {
            String resid = element.getAttribute("resid");
            if (resid.isEmpty() || resid.length() > 32) {
                fail(element, "resid is required and at most 32 characters");
            } else if (!byKind.getOrDefault(kind, Map.of()).containsKey(resid)) {
                fail(element, "resid \"" + resid + "\" names nothing in bt:" + kind + " of this VersionOverrides");
            }
        }

        void url(Element element) {
            reference(element, "Urls");
        }

        void image(Element element) {
            reference(element, "Images");
        }

        void shortString(Element element) {
            reference(element, "ShortStrings");
        }

        void longString(Element element) {
            reference(element, "LongStrings");
        }
    }

    private Resources resources(Element overrides, String ns) {
        Resources resources = new Resources();
        child(overrides, ns, "Resources").ifPresent(r -> {
            // [MS-OWEMXML] Resources: Images, Urls, ShortStrings, LongStrings, in this order
            sequence(r, List.of(optional(BT, "Images"), optional(BT, "Urls"), optional(BT, "ShortStrings"), optional(BT, "LongStrings")));
            Map<String, Integer> limits = Map.of("Images", 2048, "Urls", 2048, "ShortStrings", 125, "LongStrings", 250);
            Map<String, String> items = Map.of("Images", "Image", "Urls", "Url", "ShortStrings", "String", "LongStrings", "String");
            for (Element kind : children(r)) {
                String name = kind.getLocalName();
                if (!items.containsKey(name)) {
                    continue;
                }
                sequence(kind, List.of(many(BT, items.get(name), 1)));
                for (Element item : children(kind)) {
                    resources.add(name, item);
                    String value = item.getAttribute("DefaultValue");
                    length(item, value, limits.get(name));
                    if ((name.equals("Images") || name.equals("Urls")) && !value.startsWith("https://")) {
                        fail(item, "DefaultValue must be an HTTPS URL, was \"" + value + "\"");
                    }
                    for (Element override : children(item)) {
                        if (!is(override, BT, "Override")) {
                            fail(override, "only bt:Override may stand in a resource");
                        } else {
                            length(override, override.getAttribute("Value"), limits.get(name));
                            if (!CULTURE.matcher(override.getAttribute("Locale")).matches()) {
                                fail(override, "Locale must be a culture name such as de-DE");
                            }
                        }
                    }
                }
            }
        });
        return resources;
    }

    /**
     * The element's child elements must follow {@code items} in order, each as often as allowed; a child
     * not in the list, out of order or too often, and a required one missing are each reported.
     */
    private void sequence(Element parent, List<Item> items) {
        List<Element> children = children(parent);
        int position = 0;
        for (Item item : items) {
            int count = 0;
            while (position < children.size() && count < item.max() && is(children.get(position), item.namespace(), item.name())) {
                position++;
                count++;
            }
            if (count < item.min()) {
                String found = position < children.size() ? "found " + children.get(position).getLocalName() : "found nothing";
                fail(parent, item.name() + " is required " + (item.min() > 1 ? item.min() + " times " : "") + "at this place; " + found);
            }
        }
        if (position < children.size()) {
            Element extra = children.get(position);
            fail(extra, "is not allowed here (" + extra.getNamespaceURI() + "): out of order, repeated, or not part of "
                    + parent.getLocalName());
        }
    }

    private void expectType(Element element, String type) {
        if (!type.equals(element.getAttributeNS(XSI, "type"))) {
            fail(element, "xsi:type must be \"" + type + "\", was \"" + element.getAttributeNS(XSI, "type") + "\"");
        }
    }

    private void text(Element parent, String ns, String name, Pattern pattern, String what) {
        child(parent, ns, name).ifPresent(e -> {
            if (!pattern.matcher(e.getTextContent()).matches()) {
                fail(e, "must be " + what + ", was \"" + e.getTextContent() + "\"");
            }
        });
    }

    private void localeAware(Element element, int maxLength) {
        if (!element.hasAttribute("DefaultValue")) {
            fail(element, "DefaultValue is required");
        }
        length(element, element.getAttribute("DefaultValue"), maxLength);
        for (Element override : children(element)) {
            if (!is(override, element.getNamespaceURI(), "Override")) {
                fail(override, "only Override may stand here");
            } else {
                length(override, override.getAttribute("Value"), maxLength);
            }
        }
    }

    private void length(Element element, String value, int max) {
        if (value == null || value.isEmpty() || value.length() > max) {
            fail(element, "must have 1 to " + max + " characters, has " + (value == null ? 0 : value.length()));
        }
    }

    /** Below {@code element} only these namespaces; {@code skipNested}: not looking into the nested VersionOverrides 1.1. */
    private void onlyIn(Element element, boolean skipNested, Set<String> allowed) {
        for (Element child : children(element)) {
            if (skipNested && is(child, VO11, "VersionOverrides")) {
                continue;
            }
            if (!allowed.contains(child.getNamespaceURI())) {
                fail(child, "belongs to " + child.getNamespaceURI() + ", which is not one of " + allowed);
            }
            onlyIn(child, skipNested, allowed);
        }
    }

    private void everyElementInAKnownNamespace(Element root) {
        Set<String> known = Set.of(APP, VO10, VO11, BT);
        for (Element e : descendants(root)) {
            if (e.getNamespaceURI() == null || !known.contains(e.getNamespaceURI())) {
                fail(e, "is in no namespace of the add-in manifest (" + e.getNamespaceURI() + ")");
            }
        }
    }

    private static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        try {
            int a = Integer.parseInt(parts[0]);
            int b = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return a > major || a == major && b >= minor;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean is(Element e, String ns, String name) {
        return ns.equals(e.getNamespaceURI()) && name.equals(e.getLocalName());
    }

    private static java.util.Optional<Element> child(Element parent, String ns, String name) {
        return children(parent).stream().filter(c -> is(c, ns, name)).findFirst();
    }

    private static List<Element> children(Element parent) {
        List<Element> list = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                list.add(e);
            }
        }
        return list;
    }

    private static List<Element> descendants(Element parent) {
        List<Element> list = new ArrayList<>();
        for (Element child : children(parent)) {
            list.add(child);
            list.addAll(descendants(child));
        }
        return list;
    }

    private void fail(Element element, String message) {
        violations.add(path(element) + ": " + message);
    }

    private static String path(Element element) {
        StringBuilder path = new StringBuilder();
        for (Node n = element; n instanceof Element e; n = n.getParentNode()) {
            path.insert(0, "/" + (e.getPrefix() == null ? "" : e.getPrefix() + ":") + e.getLocalName());
        }
        return path.toString();
    }
}
