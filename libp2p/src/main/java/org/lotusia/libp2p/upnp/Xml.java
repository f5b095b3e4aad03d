package org.lotusia.libp2p.upnp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The JDK's DOM parser, hardened for documents from LAN devices: no DOCTYPE at all (so no entity
 * expansion, no external entities or schemas), secure processing on. Input is already bounded by
 * {@link BoundedHttp}. Elements are matched by local name, whatever their namespace prefix.
 * Stateless.
 */
final class Xml {

  private Xml() {}

  /** Parses {@code data}; a DOCTYPE or malformed XML fails with the parser's reason. */
  static Document parse(byte[] data) throws IOException {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(new DefaultHandler()); // fatal errors are thrown, nothing is printed
      return b.parse(new ByteArrayInputStream(data));
    } catch (ParserConfigurationException | SAXException e) {
      throw new IOException("not acceptable XML: " + e.getMessage(), e);
    }
  }

  /** Every element named {@code localName} under {@code root}, in document order. */
  static List<Element> all(Node root, String localName) {
    NodeList list =
        root instanceof Document d
            ? d.getElementsByTagNameNS("*", localName)
            : ((Element) root).getElementsByTagNameNS("*", localName);
    List<Element> out = new ArrayList<>(list.getLength());
    for (int i = 0; i < list.getLength(); i++) {
      out.add((Element) list.item(i));
    }
    return out;
  }

  /** The trimmed text of the first {@code localName} element under {@code root}, if any. */
  static Optional<String> text(Node root, String localName) {
    List<Element> e = all(root, localName);
    return e.isEmpty() ? Optional.empty() : Optional.of(e.get(0).getTextContent().trim());
  }

  /** {@code s} escaped for element content. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
