package dev.sealgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void shouldEscapeEverythingThatCanEndTextOrAnAttribute() {
        assertThat(Html.escape("<script>alert('x')</script> & \"q\" `t`"))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; &#96;t&#96;");
        assertThat(Html.escape(null)).isEmpty();
    }
}
