package org.lotusia.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The bill of materials users import lists every SDK module at the SDK's version and nothing else:
 * no parent (whose dependencyManagement would be imported with it) and no third-party entry.
 */
class BomTest {

  @Test
  void theBomListsEveryModuleAtTheProjectVersionAndPinsNothingElse() throws Exception {
    Path root = root();
    Document parent = parse(root.resolve("pom.xml"));
    Document bom = parse(root.resolve("lotus-p2p-bom").resolve("pom.xml"));

    List<String> modules = texts(parent.getDocumentElement(), "modules", "module");
    modules.remove("lotus-p2p-bom");
    assertThat(modules).as("the parent's modules").isNotEmpty();

    Element project = bom.getDocumentElement();
    assertThat(children(project, "parent")).as("the BOM has no parent").isEmpty();
    assertThat(text(project, "version")).isEqualTo(text(parent.getDocumentElement(), "version"));
    assertThat(children(project, "dependencies")).as("the BOM adds no dependency").isEmpty();

    Element managed = children(children(project, "dependencyManagement").get(0), "dependencies").get(0);
    List<String> listed = new ArrayList<>();
    for (Element d : children(managed, "dependency")) {
      assertThat(text(d, "groupId")).as("third-party entries pin users' versions").isEqualTo("org.lotusia");
      assertThat(text(d, "version")).isEqualTo("${project.version}");
      assertThat(children(d, "scope")).as("no import of another BOM").isEmpty();
      listed.add(text(d, "artifactId"));
    }
    assertThat(listed).containsExactlyInAnyOrderElementsOf(modules);
  }

  private static Document parse(Path pom) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(pom.toFile());
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  private static String text(Element parent, String name) {
    List<Element> found = children(parent, name);
    assertThat(found).as("<%s> in <%s>", name, parent.getTagName()).hasSize(1);
    return found.get(0).getTextContent().strip();
  }

  private static List<String> texts(Element parent, String list, String item) {
    List<String> out = new ArrayList<>();
    for (Element e : children(children(parent, list).get(0), item)) {
      out.add(e.getTextContent().strip());
    }
    return out;
  }

  private static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("lotus-p2p-bom").resolve("pom.xml"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("no lotus-p2p-bom/pom.xml above the working directory").isNotNull();
    return dir;
  }
}
